--- asm-ls for Neovim's built-in LSP client: starts the asm-ls language server for Rust buffers,
--- beside rust-analyzer (each is its own client; neither replaces the other).
---
---   require('asm_ls').setup({
---     cmd = { 'asm-ls' },                       -- the server command (default)
---     settings = { targets = { 'x86_64-unknown-linux-gnu', 'aarch64' } },
---   })
---
--- `settings` follow schemas/config.schema.json of asm-ls. They are sent as initializationOptions
--- and in workspace/didChangeConfiguration (under the "asm-ls" section, which also answers the
--- server's workspace/configuration requests). `set_settings()` changes them while running.
---
--- Neovim 0.11+ uses vim.lsp.config/vim.lsp.enable, 0.8-0.10 vim.lsp.start, 0.7
--- vim.lsp.start_client + vim.lsp.buf_attach_client. The root directory is the nearest directory
--- above the file holding a Cargo.toml, else a .git, else the file's own directory.
---
--- Machine code: `:AsmLsMachineCode` (or `require('asm_ls').show_machine_code()`) opens the machine
--- code of the block under the cursor in a scratch split; the code lens above each block
--- ("Show machine code (x86_64)", shown unless `codelens = false`) runs the same with
--- vim.lsp.codelens.run().

local M = {}

M.name = 'asm_ls'
M.section = 'asm-ls'

local defaults = {
  cmd = { 'asm-ls' },
  filetypes = { 'rust' },
  root_markers = { 'Cargo.toml', '.git' },
  settings = {},
  on_attach = nil,
  capabilities = nil,
  codelens = true,
}

local MACHINE_CODE = 'asm-ls.showMachineCode'


M.options = vim.deepcopy(defaults)

local function has(version)
  return vim.fn.has('nvim-' .. version) == 1
end

--- The nearest directory at or above `path` holding one of `markers` (tried in order, so the
--- nearest Cargo.toml wins over an enclosing .git); nil when none does.
function M.find_root(path, markers)
  local start = vim.fn.fnamemodify(path, ':p:h')
  for _, marker in ipairs(markers or M.options.root_markers) do
    local dir = start
    while true do
      if vim.loop.fs_stat(dir .. '/' .. marker) then
        return dir
      end
      local parent = vim.fn.fnamemodify(dir, ':h')
      if parent == dir then
        break
      end
      dir = parent
    end
  end
  return nil
end

local function buffer_root(bufnr)
  local path = vim.api.nvim_buf_get_name(bufnr)
  if path == '' then
    return nil
  end
  return M.find_root(path) or vim.fn.fnamemodify(path, ':p:h')
end

--- A Lua table to send as a JSON object: an empty table would be encoded as `[]`.
local function object(tbl)
  if tbl == nil or next(tbl) == nil then
    return vim.empty_dict()
  end
  return tbl
end

--- The settings as the server expects them: an object, with `severity` an object too.
local function settings()
  local value = vim.deepcopy(M.options.settings or {})
  if value.severity ~= nil then
    value.severity = object(value.severity)
  end
  return object(value)
end

--- What workspace/didChangeConfiguration carries and workspace/configuration is answered from.
local function client_settings()
  return { [M.section] = settings() }
end

local function notify_settings(client)
  local params = { settings = client_settings() }
  if has('0.11') then
    client:notify('workspace/didChangeConfiguration', params)
  else
    client.notify('workspace/didChangeConfiguration', params)
  end
end

--- Keeps the code lenses of an attached buffer up to date (Neovim shows them once refreshed).
local function refresh_lenses(client, bufnr)
  local provider = client.server_capabilities and client.server_capabilities.codeLensProvider
  if not M.options.codelens or not provider then
    return
  end
  local function refresh()
    if has('0.10') then
      vim.lsp.codelens.refresh({ bufnr = bufnr })
    elseif vim.api.nvim_get_current_buf() == bufnr then
      vim.lsp.codelens.refresh()
    end
  end
  local group = vim.api.nvim_create_augroup('asm_ls_codelens_' .. bufnr, { clear = true })
  vim.api.nvim_create_autocmd({ 'BufEnter', 'InsertLeave', 'BufWritePost' }, {
    group = group,
    buffer = bufnr,
    callback = refresh,
  })
  refresh()
end

local function on_attach(client, bufnr)
  refresh_lenses(client, bufnr)
  if M.options.on_attach then
    M.options.on_attach(client, bufnr)
  end
end

--- The client configuration shared by every Neovim version (without the root directory).
function M.client_config()
  local opts = M.options
  return {
    name = M.name,
    cmd = opts.cmd,
    filetypes = opts.filetypes,
    init_options = settings(),
    settings = client_settings(),
    capabilities = opts.capabilities,
    on_attach = on_attach,
    on_init = function(client)
      -- Neovim 0.11 sends the settings after `initialize` by itself; before, clients must.
      if not has('0.11') then
        notify_settings(client)
      end
    end,
  }
end

--- The configuration for vim.lsp.config (Neovim 0.11+); also what lsp/asm_ls.lua returns.
function M.lsp_config()
  local config = M.client_config()
  config.name = nil
  config.root_dir = function(bufnr, on_dir)
    local root = buffer_root(bufnr)
    if root then
      on_dir(root)
    end
  end
  return config
end

local started = {} -- root directory -> client id (Neovim 0.7 only)

local function attach_0_7(bufnr)
  local root = buffer_root(bufnr)
  if not root then
    return
  end
  local id = started[root]
  local client = id and vim.lsp.get_client_by_id(id)
  if not client or client.is_stopped() then
    local config = M.client_config()
    config.root_dir = root
    config.workspace_folders = { { uri = vim.uri_from_fname(root), name = root } }
    id = vim.lsp.start_client(config)
    started[root] = id
  end
  if id then
    vim.lsp.buf_attach_client(bufnr, id)
  end
end

local function attach_0_8(bufnr)
  local root = buffer_root(bufnr)
  if not root then
    return
  end
  local config = M.client_config()
  config.root_dir = root
  vim.lsp.start(config, { bufnr = bufnr })
end

--- Starts (or reuses) the asm-ls client for a buffer: what the FileType autocommand calls before
--- Neovim 0.11.
function M.attach(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  if vim.lsp.start then
    attach_0_8(bufnr)
  else
    attach_0_7(bufnr)
  end
end

local function clients()
  if vim.lsp.get_clients then
    return vim.lsp.get_clients({ name = M.name })
  end
  local found = {}
  for _, client in pairs(vim.lsp.get_active_clients()) do
    if client.name == M.name then
      table.insert(found, client)
    end
  end
  return found
end

--- Replaces the settings of running and future asm-ls clients
--- (workspace/didChangeConfiguration).
function M.set_settings(settings)
  M.options.settings = settings or {}
  for _, client in ipairs(clients()) do
    client.config.settings = client_settings()
    notify_settings(client)
  end
end

local function request(client, method, params, handler, bufnr)
  if has('0.11') then
    return client:request(method, params, handler, bufnr)
  end
  return client.request(method, params, handler, bufnr)
end

local function buffer_client(bufnr)
  for _, client in ipairs(clients()) do
    if vim.lsp.buf_is_attached(bufnr, client.id) then
      return client
    end
  end
  return nil
end

local opened = 0 -- scratch buffers opened: each gets its own name

--- Opens a machine-code document ({title, language, content}, the command's answer) in a new
--- scratch split; returns its buffer.
function M.open_document(document)
  vim.cmd('new')
  local bufnr = vim.api.nvim_get_current_buf()
  local lines = vim.split(document.content, '\n', { plain = true })
  if lines[#lines] == '' then
    table.remove(lines)
  end
  vim.api.nvim_buf_set_lines(bufnr, 0, -1, false, lines)
  vim.bo[bufnr].buftype = 'nofile'
  vim.bo[bufnr].bufhidden = 'wipe'
  vim.bo[bufnr].swapfile = false
  vim.bo[bufnr].modifiable = false
  vim.bo[bufnr].filetype = document.language
  opened = opened + 1
  pcall(vim.api.nvim_buf_set_name, bufnr, 'asm-ls://' .. opened .. '/' .. document.title)
  return bufnr
end

--- Asks the server for the machine code at `argument` ({uri, position}) and opens it; `done`
--- (optional) gets the new buffer, or nil and the error.
local function machine_code(client, argument, bufnr, done)
  local params = { command = MACHINE_CODE, arguments = { argument } }
  request(client, 'workspace/executeCommand', params, function(err, result)
    local opened_buffer
    if err then
      vim.notify('asm-ls: ' .. (err.message or tostring(err)), vim.log.levels.ERROR)
    elseif result then
      opened_buffer = M.open_document(result)
    end
    if done then
      done(opened_buffer, err)
    end
  end, bufnr)
end

--- The machine code of the block under the cursor (`:AsmLsMachineCode`).
function M.show_machine_code(done)
  local bufnr = vim.api.nvim_get_current_buf()
  local client = buffer_client(bufnr)
  if not client then
    vim.notify('asm-ls: the server is not attached to this buffer', vim.log.levels.ERROR)
    return
  end
  local params = vim.lsp.util.make_position_params(0, client.offset_encoding or 'utf-16')
  machine_code(client, { uri = params.textDocument.uri, position = params.position }, bufnr, done)
end

-- The code lens's command runs here (vim.lsp.codelens.run), not in the server alone: its
-- answer is a document to open.
vim.lsp.commands[MACHINE_CODE] = function(command, ctx)
  local client = vim.lsp.get_client_by_id(ctx.client_id)
  if client and command.arguments and command.arguments[1] then
    machine_code(client, command.arguments[1], ctx.bufnr)
  end
end

vim.api.nvim_create_user_command('AsmLsMachineCode', function()
  M.show_machine_code()
end, { desc = 'asm-ls: the machine code of the inline-assembly block under the cursor' })

function M.setup(opts)
  M.options = vim.tbl_deep_extend('force', vim.deepcopy(defaults), opts or {})
  if vim.lsp.config and vim.lsp.enable then
    vim.lsp.config(M.name, M.lsp_config())
    vim.lsp.enable(M.name)
    return
  end
  local group = vim.api.nvim_create_augroup('asm_ls', { clear = true })
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = M.options.filetypes,
    callback = function(args)
      M.attach(args.buf)
    end,
  })
  -- Buffers already open (setup called late) are attached now.
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(bufnr) and vim.tbl_contains(M.options.filetypes, vim.bo[bufnr].filetype) then
      M.attach(bufnr)
    end
  end
end

return M
