-- Driven by tests/editors/test_format_in_editors.py after the user configuration (which starts asm_ls
-- for Rust files) has run: opens the Rust file of the plan, waits for asm-ls to attach, formats the
-- buffer through the LSP client (vim.lsp.buf.format on 0.8+, formatting_sync on 0.7) and writes the
-- buffer's lines, as JSON, to the plan's `out` path; Neovim then quits whatever happened.
--
-- The plan is a JSON file named by $ASM_LS_NVIM_PLAN: {file, out, wait_ms}

local json_decode = vim.json and vim.json.decode or vim.fn.json_decode
local json_encode = vim.json and vim.json.encode or vim.fn.json_encode

local function read(path)
  local file = assert(io.open(path, 'r'))
  local text = file:read('*a')
  file:close()
  return text
end

local plan = json_decode(read(os.getenv('ASM_LS_NVIM_PLAN')))
local result = {}

local function asm_ls_client(bufnr)
  local clients = vim.lsp.get_clients and vim.lsp.get_clients({ bufnr = bufnr })
    or vim.lsp.buf_get_clients(bufnr)
  for _, client in pairs(clients) do
    if client.name == 'asm_ls' then
      return client
    end
  end
  return nil
end

local function run()
  vim.cmd('edit ' .. vim.fn.fnameescape(plan.file))
  local bufnr = vim.api.nvim_get_current_buf()
  local client
  if not vim.wait(plan.wait_ms, function()
    client = asm_ls_client(bufnr)
    return client ~= nil and client.initialized ~= false
  end, 50) then
    error('asm_ls did not attach within ' .. plan.wait_ms .. ' ms')
  end
  if vim.lsp.buf.format then
    vim.lsp.buf.format({ bufnr = bufnr, name = 'asm_ls', timeout_ms = plan.wait_ms })
  else
    vim.lsp.buf.formatting_sync(nil, plan.wait_ms)
  end
  result.lines = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
end

local ok, err = xpcall(run, debug.traceback)
if not ok then
  result.error = tostring(err)
end
local out = assert(io.open(plan.out, 'w'))
out:write(json_encode(result))
out:close()
vim.cmd('qall!')
