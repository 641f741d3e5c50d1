;;; asm-ls-machine-code.el --- Show the machine code asm-ls answers  -*- lexical-binding: t; -*-

;; Version: 0.1.0
;; Package-Requires: ((emacs "26.1"))
;; Keywords: languages, rust, assembly

;;; Commentary:

;; The display half of the machine-code view, shared by asm-ls.el (Eglot) and
;; asm-ls-lsp-mode.el (lsp-mode): the server's `asm-ls.showMachineCode' command answers a
;; document (title, language, content), shown here in a read-only buffer in another window.

;;; Code:

(defconst asm-ls-machine-code-command "asm-ls.showMachineCode"
  "The asm-ls command answering the machine code of the block at a position.")

(defun asm-ls-machine-code--get (document key)
  "KEY of DOCUMENT, a plist or a hash table (lsp-mode's JSON) with string keys."
  (if (hash-table-p document)
      (gethash (substring (symbol-name key) 1) document)
    (plist-get document key)))

(defun asm-ls-machine-code-show (document)
  "Show DOCUMENT, the command's answer, in a read-only buffer in another window.
Return the buffer."
  (let ((buffer (get-buffer-create
                 (format "*asm-ls: %s*" (asm-ls-machine-code--get document :title)))))
    (with-current-buffer buffer
      (let ((inhibit-read-only t))
        (erase-buffer)
        (insert (asm-ls-machine-code--get document :content))
        (goto-char (point-min)))
      (if (fboundp 'asm-mode)
          (asm-mode)
        (fundamental-mode))
      (setq buffer-read-only t)
      (set-buffer-modified-p nil))
    (display-buffer buffer '(nil (inhibit-same-window . t)))
    buffer))

(provide 'asm-ls-machine-code)
;;; asm-ls-machine-code.el ends here
