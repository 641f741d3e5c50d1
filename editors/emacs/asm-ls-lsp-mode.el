;;; asm-ls-lsp-mode.el --- asm-ls for lsp-mode, beside rust-analyzer  -*- lexical-binding: t; -*-

;; Version: 0.1.0
;; Package-Requires: ((emacs "26.1") (lsp-mode "8.0"))
;; Keywords: languages, rust, assembly

;;; Commentary:

;; lsp-mode runs several servers per buffer: asm-ls is registered as an add-on client, started
;; for Rust buffers in addition to the main client (rust-analyzer):
;;
;;   (require 'asm-ls-lsp-mode)
;;   (setq asm-ls-lsp-settings '(:targets ["x86_64-unknown-linux-gnu" "aarch64"]))
;;   (asm-ls-lsp-mode-setup)
;;   (add-hook 'rust-mode-hook #'lsp-deferred)
;;
;; `asm-ls-lsp-settings' (schemas/config.schema.json of asm-ls, as a plist: lists are vectors,
;; false is :json-false) goes to the server as initializationOptions and, under the "asm-ls"
;; section, in workspace/didChangeConfiguration.  After changing it,
;; `asm-ls-lsp-send-settings' sends it to the running servers.

;;; Code:

(require 'lsp-mode)

(defgroup asm-ls-lsp nil
  "The asm-ls language server for Rust inline assembly, in lsp-mode."
  :group 'lsp-mode
  :prefix "asm-ls-lsp-")

(defcustom asm-ls-lsp-command '("asm-ls")
  "The command running the asm-ls language server on stdio, program first."
  :type '(repeat string))

(defcustom asm-ls-lsp-settings nil
  "The asm-ls settings, a plist following asm-ls's schemas/config.schema.json."
  :type 'plist)

(defun asm-ls-lsp--workspaces ()
  "The running asm-ls workspaces of the lsp-mode session."
  (let (found)
    (maphash (lambda (_folder workspaces)
               (dolist (workspace workspaces)
                 (when (eq (lsp--client-server-id (lsp--workspace-client workspace)) 'asm-ls)
                   (cl-pushnew workspace found))))
             (lsp-session-folder->servers (lsp-session)))
    found))

(defun asm-ls-lsp--notify-settings (workspace)
  (with-lsp-workspace workspace
    (lsp--set-configuration (list :asm-ls (or asm-ls-lsp-settings (make-hash-table))))))

(defun asm-ls-lsp-send-settings ()
  "Send `asm-ls-lsp-settings' to every running asm-ls server."
  (interactive)
  (mapc #'asm-ls-lsp--notify-settings (asm-ls-lsp--workspaces)))

;;;###autoload
(defun asm-ls-lsp-mode-setup ()
  "Register asm-ls with lsp-mode as an add-on client for Rust buffers."
  (lsp-register-client
   (make-lsp-client
    :new-connection (lsp-stdio-connection (lambda () asm-ls-lsp-command))
    :activation-fn (lsp-activate-on "rust")
    :add-on? t
    :server-id 'asm-ls
    :initialization-options (lambda () (or asm-ls-lsp-settings (make-hash-table)))
    :initialized-fn #'asm-ls-lsp--notify-settings)))

(provide 'asm-ls-lsp-mode)
;;; asm-ls-lsp-mode.el ends here
