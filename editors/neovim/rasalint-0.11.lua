-- rasalint for Neovim 0.11 or later: findings, completion as you type, and the safe
-- fixes written on save.
vim.lsp.config("rasalint", {
  cmd = { "rasalint", "server" },
  filetypes = { "markdown", "yaml" },
  root_markers = { "domain.yml", "domain.yaml", "rasalint.toml" },
  on_attach = function(client, buffer)
    vim.lsp.completion.enable(true, client.id, buffer, { autotrigger = true })
    vim.api.nvim_create_autocmd("BufWritePre", {
      group = vim.api.nvim_create_augroup("rasalint-fix-on-save-" .. buffer, { clear = true }),
      buffer = buffer,
      callback = function()
        -- Asked and applied before the write (vim.lsp.buf.code_action would answer after it).
        local params = {
          textDocument = vim.lsp.util.make_text_document_params(buffer),
          range = { start = { line = 0, character = 0 }, ["end"] = { line = vim.api.nvim_buf_line_count(buffer), character = 0 } },
          context = { only = { "source.fixAll.rasalint" }, diagnostics = {} },
        }
        local reply = client:request_sync("textDocument/codeAction", params, 3000, buffer)
        for _, action in ipairs(reply and reply.result or {}) do
          if action.edit then
            vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding)
          end
        end
      end,
    })
  end,
})
vim.lsp.enable("rasalint")
