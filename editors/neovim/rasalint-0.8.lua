-- rasalint for Neovim 0.8, 0.9 and 0.10 (no plugin needed): findings, completion with
-- CTRL-X CTRL-O, and the safe fixes written on save.
if vim.fn.has("nvim-0.8") == 0 then
  vim.notify("rasalint: this setup needs Neovim 0.8 or later", vim.log.levels.ERROR)
  return
end

local function fix_all(client, buffer)
  -- Asked and applied before the write (vim.lsp.buf.code_action would answer after it).
  local params = {
    textDocument = vim.lsp.util.make_text_document_params(buffer),
    range = { start = { line = 0, character = 0 }, ["end"] = { line = vim.api.nvim_buf_line_count(buffer), character = 0 } },
    context = { only = { "source.fixAll.rasalint" }, diagnostics = {} },
  }
  local reply = client.request_sync("textDocument/codeAction", params, 3000, buffer)
  for _, action in ipairs(reply and reply.result or {}) do
    if action.edit then
      vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding)
    end
  end
end

vim.api.nvim_create_autocmd("FileType", {
  pattern = { "markdown", "yaml" },
  callback = function(args)
    local file = vim.api.nvim_buf_get_name(args.buf)
    local markers = { "domain.yml", "domain.yaml", "rasalint.toml" }
    local found = vim.fs.find(markers, { upward = true, path = vim.fs.dirname(file) })[1]
    if file == "" or not found then
      return -- not in a bot: rasalint would find nothing
    end
    vim.lsp.start({
      name = "rasalint",
      cmd = { "rasalint", "server" },
      root_dir = vim.fs.dirname(found),
      on_attach = function(client, buffer)
        vim.bo[buffer].omnifunc = "v:lua.vim.lsp.omnifunc"
        vim.api.nvim_create_autocmd("BufWritePre", {
          group = vim.api.nvim_create_augroup("rasalint-fix-on-save-" .. buffer, { clear = true }),
          buffer = buffer,
          callback = function()
            fix_all(client, buffer)
          end,
        })
      end,
    })
  end,
})
