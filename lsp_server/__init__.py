"""mllint's language server: ``mllint lsp`` or ``python -m mllint.lsp_server`` (stdio)."""
