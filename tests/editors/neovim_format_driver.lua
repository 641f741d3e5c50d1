-- Driven by tests/editors/test_format_in_editors.py after the user configuration (which starts asm_ls
-- for Rust files) has run: opens the Rust file of the plan, waits for asm-ls to attach, formats the
-- buffer through the LSP client (vim.lsp.buf.format on 0.8+, formatting_sync on 0.7) and writes the
-- buffer's lines, as JSON, to the plan's `out` path; Neovim then quits whatever happened.
--
-- The plan is a JSON file named by $ASM_LS_NVIM_PLAN: {file, out, wait_ms}

local shared = dofile(vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':h') .. '/neovim_plan.lua')
local plan = shared.plan
local result = {}

local function run()
  vim.cmd('edit ' .. vim.fn.fnameescape(plan.file))
  local bufnr = vim.api.nvim_get_current_buf()
  shared.attached(bufnr)
  if vim.lsp.buf.format then
    vim.lsp.buf.format({ bufnr = bufnr, name = 'asm_ls', timeout_ms = plan.wait_ms })
  else
    vim.lsp.buf.formatting_sync(nil, plan.wait_ms)
  end
  result.lines = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
end

shared.finish(run, result)
