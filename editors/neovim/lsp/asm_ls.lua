-- Neovim 0.11+: with this directory on 'runtimepath', `vim.lsp.enable('asm_ls')` alone starts
-- asm-ls for Rust buffers with the default settings; require('asm_ls').setup{...} configures it.
return require('asm_ls').lsp_config()
