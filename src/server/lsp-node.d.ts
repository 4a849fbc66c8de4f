// The project's tsconfig resolves modules the Node 10 way, which does not read package.json "exports":
// these map the LSP packages' `/node` entry points (which esbuild and Node resolve through "exports")
// to their typings, for the server, the client and the server test.
declare module 'vscode-languageserver/node' {
  export * from 'vscode-languageserver/lib/node/main';
}
declare module 'vscode-languageclient/node' {
  export * from 'vscode-languageclient/lib/node/main';
}
declare module 'vscode-languageserver-protocol/node' {
  export * from 'vscode-languageserver-protocol/lib/node/main';
}
declare module 'vscode-jsonrpc/node' {
  export * from 'vscode-jsonrpc/lib/node/main';
}
