import type { CatalogSet } from '../../catalog';
import { closestMatch, quoted } from '../../common';
import { productId } from './helpers';
import type { LintRule } from './rule';

/** The products the loaded catalogs give advice about, by id and display name. */
function knownProducts(catalogs: CatalogSet): { value: string; spellings: string[] }[] {
  const byId = new Map<string, string[]>();
  for (const catalog of catalogs.catalogs) {
    for (const advice of catalog.products) byId.set(advice.product, [...(byId.get(advice.product) ?? [advice.product]), advice.name]);
  }
  return [...byId].map(([value, spellings]) => ({ value, spellings }));
}

export const unknownProduct: LintRule = {
  meta: {
    id: 'unknown-product',
    defaultSeverity: 'warning',
    description:
      "An endpoint-protection product under `endpoint-protection.products` that is one typo away from a product a loaded catalog gives advice about (`adgaurd` for `adguard`). `product-advice` matches products by their exact id, so a misspelt one silently turns the vendor's warning off. Products far from every known one (`defender`, when no catalog mentions it) are taken as products no catalog warns about, and pass.",
    example: 'vendors:\n  helpdesk-buttons: {}\nendpoint-protection:\n  products: [adgaurd]   # did you mean adguard?',
  },
  checkFile(model, context, report) {
    const products = model.endpointProtection?.products ?? [];
    if (products.length === 0) return;
    const known = knownProducts(context.catalogs);
    for (const product of products) {
      const written = productId(product.value);
      if (known.some((candidate) => candidate.value === written)) continue;
      const meant = closestMatch(written, known);
      if (!meant) continue;
      report({
        message: `product ${quoted(product.value)} is not one the loaded catalogs know, so no vendor's advice about it is checked; did you mean ${meant}?`,
        range: product.range,
        subject: `product:${written}`,
        fixes: [{ title: `Use ${meant}`, edits: [{ range: product.range, newText: meant }], preferred: true }],
      });
    }
  },
};
