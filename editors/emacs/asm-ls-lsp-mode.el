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
;;
;; The code lens above each block ("Show machine code (x86_64)", with `lsp-lens-mode') and
;; `M-x asm-ls-lsp-show-machine-code' at point show the block's machine code (per template
;; line: address, bytes, disassembly, registers read and written) in a read-only buffer.

;;; Code:

(require 'lsp-mode)
(require 'asm-ls-machine-code)

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

(defun asm-ls-lsp--machine-code (arguments)
  "Ask asm-ls for the machine code at ARGUMENTS and show it.
ARGUMENTS: a vector of one {uri, position}."
  (let ((workspace (or (car (asm-ls-lsp--workspaces)) (user-error "asm-ls is not running"))))
    (asm-ls-machine-code-show
     (with-lsp-workspace workspace
       (lsp-request "workspace/executeCommand"
                    (list :command asm-ls-machine-code-command :arguments arguments))))))

(defun asm-ls-lsp--machine-code-action (command)
  "Run the code lens's COMMAND (an LSP Command): its answer is a document to show."
  (asm-ls-lsp--machine-code (lsp-get command :arguments)))

;;;###autoload
(defun asm-ls-lsp-show-machine-code ()
  "Show the machine code of the inline-assembly block at point.
It is what asm-ls assembles the block to."
  (interactive)
  (asm-ls-lsp--machine-code
   (vector (list :uri (lsp--buffer-uri) :position (lsp--cur-position)))))

(defun asm-ls-lsp--action-handlers ()
  (let ((handlers (make-hash-table :test 'equal)))
    (puthash asm-ls-machine-code-command #'asm-ls-lsp--machine-code-action handlers)
    handlers))

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
    :initialized-fn #'asm-ls-lsp--notify-settings
    :action-handlers (asm-ls-lsp--action-handlers))))

(provide 'asm-ls-lsp-mode)
;;; asm-ls-lsp-mode.el ends here
