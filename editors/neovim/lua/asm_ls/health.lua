--- `:checkhealth asm_ls`: is the server command found, which asm-ls and rustc it reports
--- (`asm-ls --version`, with the `rustc` setting in effect), the settings in effect, and the
--- running clients.

local M = {}

local health = vim.health or require('health')
local start = health.start or health.report_start
local ok = health.ok or health.report_ok
local warn = health.warn or health.report_warn
local report_error = health.error or health.report_error
local info = health.info or health.report_info

local function clients()
  if vim.lsp.get_clients then
    return vim.lsp.get_clients({ name = 'asm_ls' })
  end
  return vim.tbl_filter(function(client)
    return client.name == 'asm_ls'
  end, vim.lsp.get_active_clients())
end

--- The server command and settings in effect: a running client's, else vim.lsp.config's
--- (Neovim 0.11+), else setup()'s.
local function effective()
  local asm_ls = require('asm_ls')
  local running = clients()[1]
  if running then
    local settings = running.config.settings and running.config.settings[asm_ls.section]
    return running.config.cmd, settings or running.config.init_options or {}, 'the running client'
  end
  local configured = vim.lsp.config and vim.lsp.config[asm_ls.name]
  if configured and configured.cmd then
    local settings = configured.settings and configured.settings[asm_ls.section]
    return configured.cmd, settings or configured.init_options or {}, "vim.lsp.config('asm_ls')"
  end
  return asm_ls.options.cmd, asm_ls.options.settings or {}, "require('asm_ls').setup()"
end

function M.check()
  start('asm-ls')
  local cmd, settings, origin = effective()
  if type(cmd) ~= 'table' or not cmd[1] then
    report_error('no server command (`cmd`) is configured')
    return
  end
  info('configuration from ' .. origin)
  local executable = vim.fn.exepath(cmd[1])
  if executable == '' then
    report_error('server not found: `' .. cmd[1] .. '` is not an executable on PATH',
      { 'Install asm-ls (`:MasonInstall asm-ls`, `pipx install asm-ls`) or set `cmd` in setup()' })
    return
  end
  ok('server command: ' .. table.concat(cmd, ' ') .. ' (' .. executable .. ')')

  local command = vim.deepcopy(cmd)
  table.insert(command, '--version')
  if type(settings.rustc) == 'string' then
    table.insert(command, '--rustc')
    table.insert(command, settings.rustc)
  end
  local output = vim.fn.system(command)
  if vim.v.shell_error ~= 0 then
    report_error('`' .. table.concat(command, ' ') .. '` failed: ' .. output)
    return
  end
  for _, line in ipairs(vim.split(vim.trim(output), '\n')) do
    if line:match('^asm%-ls ') then
      ok('version: ' .. line)
    elseif line:match('^rustc: none found') or line:match('unusable') then
      warn(line, { 'asm-ls needs a rustc to assemble templates: install one, or set the `rustc` setting' })
    elseif line:match('^rustc: ') then
      ok(line)
    end
  end

  info('settings: ' .. vim.inspect(settings, { newline = ' ', indent = '' }))
  local running = clients()
  if #running == 0 then
    info('no asm_ls client is running (open a Rust file)')
  end
  for _, client in ipairs(running) do
    info('client ' .. client.id .. ' running, root ' .. tostring(client.config.root_dir))
  end
end

return M
