import { productId } from './helpers';
import type { LintRule } from './rule';

export const productAdvice: LintRule = {
  meta: {
    id: 'product-advice',
    defaultSeverity: 'warning',
    description:
      "An endpoint-protection product listed under `endpoint-protection.products` that a declared vendor's catalog warns about (Helpdesk Buttons: Webroot blanks screenshots, AdGuard blocks the Press View Reports). Firewall rules alone will not make the vendor's software work at such a site: the product needs the setting the vendor describes. The message quotes the vendor's problem and advice, with its link, so the engineer fixing the site does not have to find the page.",
    example: 'vendors:\n  helpdesk-buttons: {}\nendpoint-protection:\n  products: [webroot]',
  },
  checkFile(model, context, report) {
    const products = model.endpointProtection?.products ?? [];
    if (products.length === 0) return;
    for (const use of context.vendors.values()) {
      const catalog = use.catalog;
      if (!catalog || catalog.products.length === 0) continue;
      for (const product of products) {
        const id = productId(product.value);
        const advice = catalog.products.find((entry) => entry.product === id);
        if (!advice) continue;
        const links = advice.links?.length ? advice.links : [advice.source.url];
        report({
          message:
            `${catalog.name} warns about ${advice.name}: "${advice.problem}"` +
            (advice.advice ? ` Its advice: "${advice.advice}"` : ' Check the product\'s settings for it at this site.') +
            ` See ${links.join(' and ')}` +
            (links.includes(advice.source.url) ? '.' : ` (vendor's note: ${advice.source.url}).`),
          range: product.range,
          subject: `vendor:${catalog.id}:product:${advice.product}`,
        });
      }
    }
  },
};
