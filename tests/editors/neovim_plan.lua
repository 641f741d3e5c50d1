-- Shared by the Neovim drivers of the end-to-end tests (neovim_driver.lua, neovim_format_driver.lua):
-- the plan they follow (the JSON file named by $ASM_LS_NVIM_PLAN), the asm_ls client of a buffer,
-- and running the driver so that its result (or its error) is written as JSON to the plan's `out`
-- path before Neovim quits, whatever happened.

local M = {}

local json_decode = vim.json and vim.json.decode or vim.fn.json_decode
local json_encode = vim.json and vim.json.encode or vim.fn.json_encode

local function read(path)
  local file = assert(io.open(path, 'r'))
  local text = file:read('*a')
  file:close()
  return text
end

M.plan = json_decode(read(os.getenv('ASM_LS_NVIM_PLAN')))

-- The asm_ls client attached to `bufnr`, or nil.
function M.asm_ls_client(bufnr)
  local clients = vim.lsp.get_clients and vim.lsp.get_clients({ bufnr = bufnr })
    or vim.lsp.buf_get_clients(bufnr)
  for _, client in pairs(clients) do
    if client.name == 'asm_ls' then
      return client
    end
  end
  return nil
end

-- The asm_ls client of `bufnr` once it has attached and initialized; an error after the plan's wait.
function M.attached(bufnr)
  local client
  if not vim.wait(M.plan.wait_ms, function()
    client = M.asm_ls_client(bufnr)
    return client ~= nil and client.initialized ~= false
  end, 50) then
    error('asm_ls did not attach within ' .. M.plan.wait_ms .. ' ms')
  end
  return client
end

-- Runs `run` (which fills `result`), writes `result` (with `error` when `run` failed) to the plan's
-- `out` path and quits Neovim.
function M.finish(run, result)
  local ok, err = xpcall(run, debug.traceback)
  if not ok then
    result.error = tostring(err)
  end
  local out = assert(io.open(M.plan.out, 'w'))
  out:write(json_encode(result))
  out:close()
  vim.cmd('qall!')
end

return M
