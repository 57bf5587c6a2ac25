-- Drives a headless Neovim that has one of the setups loaded and a bot's NLU file with a
-- fixable finding (trailing whitespace, RL501) open:
--   1. the finding is shown (the server started and checked the bot);
--   2. `:write` writes the fixed text and leaves the buffer unmodified;
--   3. the mistake typed anew and written at once (no pause for the server to check it)
--      is fixed on disk too.
-- Ends Neovim with exit status 0 when all hold, 1 otherwise (the reason on stderr).

local buffer = vim.api.nvim_get_current_buf()
local file = vim.api.nvim_buf_get_name(buffer)

local function fail(message)
  io.stderr:write("FAIL: " .. message .. "\n")
  vim.cmd("cquit 1")
end

local function on_disk()
  local handle = assert(io.open(file, "rb"))
  local text = handle:read("*a")
  handle:close()
  return text
end

local function has_rl501()
  for _, d in ipairs(vim.diagnostic.get(buffer)) do
    if d.code == "RL501" then
      return true
    end
  end
  return false
end

local ok, err = pcall(function()
  if not vim.wait(20000, has_rl501, 50) then
    local clients = vim.lsp.get_active_clients and vim.lsp.get_active_clients() or {}
    return fail(("no RL501 finding shown after 20 s (%d LSP clients)"):format(#clients))
  end
  io.stderr:write("finding shown: RL501\n")

  vim.cmd("write")
  local text = on_disk()
  if text:find(" \n", 1, true) then
    return fail("after :write the file still has trailing whitespace: " .. vim.inspect(text))
  end
  if vim.bo[buffer].modified then
    return fail("after :write the buffer is still modified")
  end
  io.stderr:write("saved fixed: " .. vim.inspect(text) .. "\n")

  -- The mistake again, written at once: the fix must see the unsent change.
  vim.api.nvim_buf_set_lines(buffer, -1, -1, false, { "- hey there   " })
  vim.cmd("write")
  text = on_disk()
  if not text:find("- hey there\n", 1, true) or text:find(" \n", 1, true) then
    return fail("after the second :write the file is " .. vim.inspect(text))
  end
  if vim.bo[buffer].modified then
    return fail("after the second :write the buffer is still modified")
  end
  io.stderr:write("saved fixed again: " .. vim.inspect(text) .. "\n")
end)
if not ok then
  fail(tostring(err))
end
io.stderr:write("PASS\n")
vim.cmd("qall!")
