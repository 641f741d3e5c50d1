;;; asm-ls.el --- asm-ls, the Rust inline assembly language server, for Eglot  -*- lexical-binding: t; -*-

;; Version: 0.1.0
;; Package-Requires: ((emacs "26.1") (eglot "1.9"))
;; Keywords: languages, rust, assembly

;;; Commentary:

;; Registers asm-ls in `eglot-server-programs' for Rust buffers:
;;
;;   (require 'asm-ls)
;;   (asm-ls-eglot-setup)                 ; asm-ls alone
;;   (asm-ls-eglot-setup 'rassumfrassum)  ; rust-analyzer and asm-ls together, through `rass'
;;
;; Eglot runs one language server per buffer.  Alone, asm-ls replaces rust-analyzer in Rust
;; buffers; with the LSP multiplexer rassumfrassum (`pip install rassumfrassum', command
;; `rass') Eglot talks to one `rass' process that runs both servers and merges their
;; diagnostics.
;;
;; Settings (schemas/config.schema.json of asm-ls) are read from the `:asm-ls' section of
;; `eglot-workspace-configuration', best set in the project's .dir-locals.el:
;;
;;   ((nil . ((eglot-workspace-configuration
;;             . (:asm-ls (:targets ["x86_64-unknown-linux-gnu" "aarch64"]
;;                         :severity (:unused-argument "warning")
;;                         :assemble :json-false))))))
;;
;; Eglot sends that section in workspace/didChangeConfiguration (and answers
;; workspace/configuration with it); asm-ls.el sends it as initializationOptions too, so the
;; first diagnostics already follow it.
;;
;; `M-x asm-ls-show-machine-code' shows the machine code of the block at point (per template
;; line: address, bytes, disassembly, registers read and written) in a read-only buffer.
;; Eglot shows no code lenses.

;;; Code:

(require 'cl-lib)
(require 'eglot)
(require 'asm-ls-machine-code)

(defgroup asm-ls nil
  "The asm-ls language server for Rust inline assembly."
  :group 'eglot
  :prefix "asm-ls-")

(defcustom asm-ls-command '("asm-ls")
  "The command running the asm-ls language server on stdio, program first."
  :type '(repeat string))

(defcustom asm-ls-rust-analyzer-command '("rust-analyzer")
  "The command running rust-analyzer, for `asm-ls-eglot-setup' with rassumfrassum."
  :type '(repeat string))

(defcustom asm-ls-rass-command '("rass")
  "The command running the rassumfrassum LSP multiplexer."
  :type '(repeat string))

(defcustom asm-ls-modes '(rust-mode rust-ts-mode rustic-mode)
  "Major modes whose buffers asm-ls serves."
  :type '(repeat symbol))

(defun asm-ls--section (config)
  "The `:asm-ls' section of the Eglot workspace configuration CONFIG.
CONFIG is a plist or an alist."
  (cond ((functionp config) nil)
        ((and (consp config) (consp (car config))) (cdr (assq :asm-ls config)))
        (t (plist-get config :asm-ls))))

(defun asm-ls-settings ()
  "The asm-ls settings of the current buffer, or nil.
They are the `:asm-ls' section of `eglot-workspace-configuration'."
  (asm-ls--section eglot-workspace-configuration))

(defun asm-ls--command (multiplexed)
  (if multiplexed
      `(,@asm-ls-rass-command "--" ,@asm-ls-rust-analyzer-command "--" ,@asm-ls-command)
    asm-ls-command))

(defun asm-ls-eglot-contact (&optional multiplexed)
  "An Eglot contact function starting asm-ls, with the buffer's settings.
The settings go as initializationOptions.  When MULTIPLEXED, the
function starts rust-analyzer and asm-ls through `rass' instead, and
the settings arrive in workspace/didChangeConfiguration only."
  (lambda (&optional _interactive)
    (let ((settings (asm-ls-settings)))
      `(,@(asm-ls--command multiplexed)
        ,@(and settings (not multiplexed) (list :initializationOptions settings))))))

;;;###autoload
(defun asm-ls-eglot-setup (&optional multiplexer)
  "Make Eglot start asm-ls for the modes of `asm-ls-modes'.
With MULTIPLEXER `rassumfrassum', start `rass' running rust-analyzer
and asm-ls instead."
  (let ((modes asm-ls-modes))
    (setq eglot-server-programs
          (cons (cons modes (asm-ls-eglot-contact (eq multiplexer 'rassumfrassum)))
                (cl-remove-if (lambda (entry) (equal (car entry) modes)) eglot-server-programs)))))

;;;###autoload
(defun asm-ls-show-machine-code ()
  "Show the machine code of the inline-assembly block at point.
It is what asm-ls assembles the block to."
  (interactive)
  (asm-ls-machine-code-show
   (jsonrpc-request (eglot--current-server-or-lose) :workspace/executeCommand
                    (list :command asm-ls-machine-code-command
                          :arguments (vector (list :uri (plist-get (eglot--TextDocumentIdentifier) :uri)
                                                   :position (eglot--pos-to-lsp-position)))))))

(provide 'asm-ls)
;;; asm-ls.el ends here
