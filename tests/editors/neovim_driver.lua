-- Driven by tests/editors/test_neovim.py after the user configuration (which calls
-- require('asm_ls').setup) has run: opens the Rust file of the plan, waits for asm-ls to
-- attach and publish, then reads from Neovim itself the diagnostics, a hover and a completion,
-- changes the settings (workspace/didChangeConfiguration) and reads the diagnostics again;
-- then opens a second file of the project, goes to the definition of a label there, and runs
-- `:checkhealth asm_ls`; then, when the plan has `machine_code`, a file with a block that
-- assembles: its code lenses, `:AsmLsMachineCode` and the lens run.
-- Everything is written as JSON to the plan's `out` path; Neovim then quits whatever happened.
--
-- The plan is a JSON file named by $ASM_LS_NVIM_PLAN:
--   {file, second_file, out, wait_ms, hover: {line, character}, completion: {line, character},
--    settings_after: {disabled: [CODE, ...], ...}, definition: {line, character} (in second_file),
--    machine_code: {file, settings, cursor: {row, col}}   (optional; row 1-based, col 0-based)}

local shared = dofile(vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':h') .. '/neovim_plan.lua')
local plan, asm_ls_client = shared.plan, shared.asm_ls_client
local result = {}

local function diagnostics(bufnr)
  local list = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    local lsp = d.user_data and d.user_data.lsp or {}
    table.insert(list, {
      range = { d.lnum, d.col, d.end_lnum, d.end_col },
      severity = vim.diagnostic.severity[d.severity],
      message = d.message,
      source = d.source,
      code = d.code or lsp.code,
    })
  end
  table.sort(list, function(a, b)
    return a.range[1] < b.range[1] or (a.range[1] == b.range[1] and a.range[2] < b.range[2])
  end)
  return list
end

local function request(bufnr, client, method, position)
  local params = { textDocument = { uri = vim.uri_from_bufnr(bufnr) }, position = position }
  local responses = vim.lsp.buf_request_sync(bufnr, method, params, plan.wait_ms)
  local response = responses and responses[client.id]
  if not response then
    error(method .. ': no response from asm_ls within ' .. plan.wait_ms .. ' ms')
  end
  if response.err then
    error(method .. ': ' .. vim.inspect(response.err))
  end
  return response.result
end

local function completion_items(list)
  local items = {}
  for _, item in ipairs(list and (list.items or list) or {}) do
    local entry = { label = item.label, kind = item.kind, detail = item.detail }
    if item.documentation ~= nil and type(item.documentation) == 'table' and item.kind == 3 then
      entry.documentation = item.documentation.value   -- instructions (Function): their documentation
    end
    table.insert(items, entry)
  end
  return items
end

local function has_code(list, code)
  for _, d in ipairs(list) do
    if d.code == code then
      return true
    end
  end
  return false
end

--- A scratch buffer opened by the plugin, as the test compares it.
local function scratch(bufnr)
  return {
    lines = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false),
    filetype = vim.bo[bufnr].filetype,
    buftype = vim.bo[bufnr].buftype,
    modifiable = vim.bo[bufnr].modifiable,
    name = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(bufnr), ':t'),
  }
end

local function machine_code(step)
  local out = {}
  require('asm_ls').set_settings(step.settings)
  vim.cmd('edit ' .. vim.fn.fnameescape(step.file))
  local bufnr = vim.api.nvim_get_current_buf()
  if not vim.wait(plan.wait_ms, function()
    return asm_ls_client(bufnr) ~= nil and #vim.lsp.codelens.get(bufnr) > 0
  end, 50) then
    error('no code lens within ' .. plan.wait_ms .. ' ms')
  end
  out.lenses = {}
  for _, lens in ipairs(vim.lsp.codelens.get(bufnr)) do
    table.insert(out.lenses, { line = lens.range.start.line, title = lens.command and lens.command.title })
  end

  -- The user command, at the cursor.
  vim.api.nvim_win_set_cursor(0, { step.cursor.row, step.cursor.col })
  local before = #vim.api.nvim_list_wins()
  vim.cmd('AsmLsMachineCode')
  if not vim.wait(plan.wait_ms, function()
    return #vim.api.nvim_list_wins() > before
  end, 50) then
    error(':AsmLsMachineCode opened no window within ' .. plan.wait_ms .. ' ms')
  end
  out.command = scratch(vim.api.nvim_get_current_buf())
  vim.cmd('close')

  -- The code lens, run where it is (vim.lsp.codelens.run on its line).
  vim.api.nvim_set_current_buf(bufnr)
  vim.api.nvim_win_set_cursor(0, { out.lenses[1].line + 1, 0 })
  before = #vim.api.nvim_list_wins()
  vim.lsp.codelens.run()
  if not vim.wait(plan.wait_ms, function()
    return #vim.api.nvim_list_wins() > before
  end, 50) then
    error('the code lens opened no window within ' .. plan.wait_ms .. ' ms')
  end
  out.lens = scratch(vim.api.nvim_get_current_buf())
  return out
end

local function run()
  local version = vim.version()
  result.nvim = { version.major, version.minor, version.patch }
  -- Which of the plugin's paths ran: vim.lsp.config (0.11+), vim.lsp.start (0.8+), start_client.
  result.api = (vim.lsp.config and vim.lsp.enable) and 'vim.lsp.config' or (vim.lsp.start and 'vim.lsp.start')
    or 'vim.lsp.start_client'
  vim.cmd('edit ' .. vim.fn.fnameescape(plan.file))
  local bufnr = vim.api.nvim_get_current_buf()
  result.filetype = vim.bo[bufnr].filetype

  local client = shared.attached(bufnr)
  result.client = { name = client.name, root_dir = client.config.root_dir, cmd = client.config.cmd }

  if not vim.wait(plan.wait_ms, function()
    return #vim.diagnostic.get(bufnr) > 0
  end, 50) then
    error('no diagnostics within ' .. plan.wait_ms .. ' ms')
  end
  result.diagnostics = diagnostics(bufnr)

  local hover = request(bufnr, client, 'textDocument/hover', plan.hover)
  result.hover = hover and hover.contents
  result.completion = completion_items(request(bufnr, client, 'textDocument/completion', plan.completion))
  if plan.instruction_hover then
    local instruction = request(bufnr, client, 'textDocument/hover', plan.instruction_hover)
    result.instruction_hover = instruction and instruction.contents
    local instructions = completion_items(request(bufnr, client, 'textDocument/completion', plan.instruction_completion))
    result.instruction_completion = instructions[1]
  end

  -- Settings changed while running: the code the new settings disable must disappear.
  local code = plan.settings_after.disabled[1]
  require('asm_ls').set_settings(plan.settings_after)
  if not vim.wait(plan.wait_ms, function()
    return not has_code(diagnostics(bufnr), code)
  end, 50) then
    error('`' .. code .. '` still reported ' .. plan.wait_ms .. ' ms after the settings changed')
  end
  result.diagnostics_after = diagnostics(bufnr)

  -- A second Rust file of the same project joins the same client (one server per root).
  vim.cmd('edit ' .. vim.fn.fnameescape(plan.second_file))
  local second = vim.api.nvim_get_current_buf()
  local joined
  if not vim.wait(plan.wait_ms, function()
    joined = asm_ls_client(second)
    return joined ~= nil
  end, 50) then
    error('asm_ls did not attach to the second file within ' .. plan.wait_ms .. ' ms')
  end
  local all = vim.lsp.get_clients and vim.lsp.get_clients({ name = 'asm_ls' }) or vim.tbl_filter(function(c)
    return c.name == 'asm_ls'
  end, vim.lsp.get_active_clients())
  result.second_file = { same_client = joined.id == client.id, asm_ls_clients = #all }

  -- Navigation on a label of the second file (`2b` to its `2:`).
  local found = request(second, joined, 'textDocument/definition', plan.definition)
  result.definition = {}
  for _, location in ipairs(found or {}) do
    local r = location.range
    table.insert(result.definition, {
      file = vim.uri_to_fname(location.uri),
      range = { r.start.line, r.start.character, r['end'].line, r['end'].character },
    })
  end

  -- The plugin's health check, as the user reads it.
  vim.cmd('silent checkhealth asm_ls')
  result.health = vim.api.nvim_buf_get_lines(0, 0, -1, false)

  if plan.machine_code then
    result.machine_code = machine_code(plan.machine_code)
  end
end

shared.finish(run, result)
