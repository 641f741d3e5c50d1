;;; emacs_driver.el --- asm-ls end to end in Emacs and Eglot  -*- lexical-binding: t; -*-

;; Run by tests/editors/test_emacs.py as `emacs --batch -Q -l emacs_driver.el'.  Loads
;; rust-mode and the plan's client from the installed packages: Eglot with
;; editors/emacs/asm-ls.el (the settings come from the project's .dir-locals.el; started as
;; `eglot-ensure' does), or lsp-mode with editors/emacs/asm-ls-lsp-mode.el (the settings come
;; from the plan).  Visits the plan's Rust file, waits for Flymake's diagnostics and reads them,
;; asks for a hover, then changes the settings (workspace/didChangeConfiguration) and reads the
;; diagnostics again; then, when the plan has `machine_code', visits a file with a block that
;; assembles and shows its machine code (the interactive command; with lsp-mode the code lens
;; too).
;; Everything goes as JSON to the plan's `out' path; Emacs exits whatever happened.
;;
;; The plan is a JSON file named by $ASM_LS_EMACS_PLAN:
;;   {client: "eglot" | "lsp-mode", file, out, plugin, command: [...], settings: {...},
;;    multiplexer: null | "rassumfrassum", rass: [...], rust_analyzer: [...], wait_seconds,
;;    hover: {line, character}, expected: [...], settings_after: {...}, expected_after: [...],
;;    machine_code: {file, settings, point: {line, character}} (optional)}
;; where the expected diagnostics are in the form this driver records them.

;;; Code:

(require 'package)
(require 'json)

(defvar asm-ls-test-plan
  (with-temp-buffer
    (insert-file-contents (getenv "ASM_LS_EMACS_PLAN"))
    (json-parse-buffer :object-type 'plist :array-type 'array
                       :null-object nil :false-object :json-false)))

(defun asm-ls-test--plan (key) (plist-get asm-ls-test-plan key))

(defvar asm-ls-test-result nil "The plist written out at the end.")

(defun asm-ls-test--record (key value)
  (setq asm-ls-test-result (plist-put asm-ls-test-result key value)))

(defun asm-ls-test--wait-for (predicate)
  "Process events until PREDICATE returns non-nil (then return t) or the plan's time is up
(then return nil)."
  (let ((deadline (+ (float-time) (asm-ls-test--plan :wait_seconds))))
    (while (and (not (funcall predicate)) (< (float-time) deadline))
      (accept-process-output nil 0.05))
    (and (funcall predicate) t)))

(defun asm-ls-test--wait (what predicate)
  "Process events until PREDICATE returns non-nil; signal an error naming WHAT on timeout."
  (unless (asm-ls-test--wait-for predicate)
    (error "%s within %s s" what (asm-ls-test--plan :wait_seconds))))

(defun asm-ls-test--position (pos)
  "0-based line and column of buffer position POS (columns count characters)."
  (save-excursion
    (goto-char pos)
    (vector (1- (line-number-at-pos pos)) (current-column))))

(defun asm-ls-test--diagnostics ()
  (let ((diags (sort (flymake-diagnostics)
                     (lambda (a b) (< (flymake-diagnostic-beg a) (flymake-diagnostic-beg b))))))
    (apply #'vector
           (mapcar (lambda (diag)
                     (list :start (asm-ls-test--position (flymake-diagnostic-beg diag))
                           :end (asm-ls-test--position (flymake-diagnostic-end diag))
                           :type (symbol-name (flymake-diagnostic-type diag))
                           :text (flymake-diagnostic-text diag)))
                   diags))))

(defun asm-ls-test--texts ()
  (mapcar #'flymake-diagnostic-text (flymake-diagnostics)))

;;; The two clients: each function takes the plan's settings where it needs them.

(defun asm-ls-test--eglot-start ()
  "Start asm-ls through Eglot (and `asm-ls.el'); return the server object."
  (require 'eglot)
  (require 'asm-ls)
  (setq asm-ls-command (append (asm-ls-test--plan :command) nil))
  (let ((multiplexer (asm-ls-test--plan :multiplexer)))
    (when multiplexer
      (setq asm-ls-rass-command (append (asm-ls-test--plan :rass) nil))
      (setq asm-ls-rust-analyzer-command (append (asm-ls-test--plan :rust_analyzer) nil)))
    (asm-ls-eglot-setup (and multiplexer (intern multiplexer))))
  (asm-ls-test--visit)
  (eglot-ensure)
  (run-hooks 'post-command-hook)          ; where eglot-ensure connects: after a command
  (asm-ls-test--wait "Eglot did not connect" #'eglot-current-server)
  (let ((server (eglot-current-server)))
    (asm-ls-test--record :command (apply #'vector (process-command (jsonrpc--process server))))
    server))

(defun asm-ls-test--eglot-hover (server position)
  (jsonrpc-request server :textDocument/hover
                   (list :textDocument (eglot--TextDocumentIdentifier) :position position)))

(defun asm-ls-test--eglot-change-settings (server settings)
  (setq-local eglot-workspace-configuration (list :asm-ls settings))
  (eglot-signal-didChangeConfiguration server))

(defun asm-ls-test--lsp-mode-start ()
  "Start asm-ls through lsp-mode (and `asm-ls-lsp-mode.el'); return its workspace."
  (setq lsp-session-file (expand-file-name "lsp-session" (getenv "XDG_STATE_HOME"))
        lsp-auto-guess-root t             ; no question about the project root
        lsp-restart 'ignore
        lsp-enable-file-watchers nil
        lsp-diagnostics-provider :flymake
        ;; rust-analyzer is not installed here: only the add-on client may start.
        lsp-disabled-clients '(rust-analyzer rls))
  (require 'lsp-mode)
  (require 'asm-ls-lsp-mode)
  (setq asm-ls-lsp-command (append (asm-ls-test--plan :command) nil)
        asm-ls-lsp-settings (asm-ls-test--plan :settings))
  (asm-ls-lsp-mode-setup)
  (asm-ls-test--visit)
  (lsp)
  (asm-ls-test--wait "lsp-mode did not start asm-ls"
                     (lambda () (cl-some (lambda (workspace) (eq (lsp--workspace-status workspace) 'initialized))
                                         (asm-ls-lsp--workspaces))))
  (asm-ls-test--record :servers (apply #'vector (mapcar (lambda (workspace)
                                                          (symbol-name (lsp--client-server-id
                                                                        (lsp--workspace-client workspace))))
                                                        (lsp-workspaces))))
  (car (asm-ls-lsp--workspaces)))

(defun asm-ls-test--lsp-mode-hover (workspace position)
  "The hover as a plist (lsp-mode's answer is a hash table, which is kept inside)."
  (let ((hover (with-lsp-workspace workspace
                 (lsp-request "textDocument/hover"
                              (list :textDocument (lsp--text-document-identifier) :position position)))))
    (list :contents (and hover (gethash "contents" hover)))))

(defun asm-ls-test--lsp-mode-change-settings (_workspace settings)
  (setq asm-ls-lsp-settings settings)
  (asm-ls-lsp-send-settings))

;;; The machine-code view: each client visits the file, then shows the code at the plan's point.

(defun asm-ls-test--shown (buffer)
  "What the machine-code BUFFER shows, as the test compares it."
  (with-current-buffer buffer
    (prog1 (list :name (buffer-name) :content (buffer-string) :read-only (if buffer-read-only t :json-false)
                 :displayed (if (get-buffer-window buffer) t :json-false))
      (kill-buffer buffer))))

(defun asm-ls-test--goto (point)
  (goto-char (point-min))
  (forward-line (plist-get point :line))
  (forward-char (plist-get point :character)))

(defun asm-ls-test--eglot-machine-code (server step)
  (find-file (plist-get step :file))
  (asm-ls-test--wait "Eglot does not manage the second file" #'eglot-managed-p)
  (asm-ls-test--eglot-change-settings server (plist-get step :settings))
  (asm-ls-test--goto (plist-get step :point))
  (list :command (asm-ls-test--shown (asm-ls-show-machine-code))))

(defun asm-ls-test--lsp-mode-machine-code (workspace step)
  (find-file (plist-get step :file))
  (lsp)
  (asm-ls-test--wait "lsp-mode does not manage the second file" #'lsp-workspaces)
  (asm-ls-test--lsp-mode-change-settings workspace (plist-get step :settings))
  (asm-ls-test--goto (plist-get step :point))
  (let* ((command (asm-ls-test--shown (asm-ls-lsp-show-machine-code)))
         (lenses (with-lsp-workspace workspace
                   (lsp-request "textDocument/codeLens" (list :textDocument (lsp--text-document-identifier)))))
         (lens (and (> (length lenses) 0) (lsp-get (elt lenses 0) :command))))
    (unless lens
      (error "no code lens"))
    ;; As a click on the lens runs it (lsp-lens-mode): lsp-mode finds asm-ls's action handler.
    (lsp--execute-command lens)
    (list :command command
          :lens-title (lsp-get lens :title)
          :lens (asm-ls-test--shown (or (get-buffer (plist-get command :name))
                                        (error "the code lens showed nothing"))))))

(defconst asm-ls-test--clients
  `(("eglot" ,#'asm-ls-test--eglot-start ,#'asm-ls-test--eglot-hover
     ,#'asm-ls-test--eglot-change-settings ,#'eglot-shutdown ,#'asm-ls-test--eglot-machine-code)
    ("lsp-mode" ,#'asm-ls-test--lsp-mode-start ,#'asm-ls-test--lsp-mode-hover
     ,#'asm-ls-test--lsp-mode-change-settings ,#'lsp-workspace-shutdown ,#'asm-ls-test--lsp-mode-machine-code)))

(defun asm-ls-test--visit ()
  (find-file (asm-ls-test--plan :file))
  (asm-ls-test--record :major-mode (symbol-name major-mode)))

(defun asm-ls-test--run ()
  ;; -Q skips Debian's startup files, which put its elpa-* packages in `package-directory-list'.
  (add-to-list 'package-directory-list "/usr/share/emacs/site-lisp/elpa")
  (package-initialize)
  (require 'rust-mode)
  (add-to-list 'load-path (asm-ls-test--plan :plugin))
  (asm-ls-test--record :emacs emacs-version)
  (pcase-let* ((`(,start ,hover ,change-settings ,shutdown ,machine-code)
                (or (cdr (assoc (asm-ls-test--plan :client) asm-ls-test--clients))
                    (error "Unknown client %s" (asm-ls-test--plan :client))))
               (server (funcall start)))
    ;; Servers may publish more than once while settings arrive: wait for the expected
    ;; diagnostics, and record what is there at the end either way.
    (asm-ls-test--wait "no Flymake diagnostics" #'flymake-diagnostics)
    (asm-ls-test--wait-for (lambda () (equal (asm-ls-test--diagnostics) (asm-ls-test--plan :expected))))
    (asm-ls-test--record :diagnostics (asm-ls-test--diagnostics))
    (asm-ls-test--record :hover (plist-get (funcall hover server (asm-ls-test--plan :hover)) :contents))
    ;; Clients ask for Markdown hovers when markdown-mode is there to show them.
    (asm-ls-test--record :markdown (if (fboundp 'gfm-view-mode) t :json-false))
    ;; New settings: the code they disable must disappear.
    (let ((code (aref (plist-get (asm-ls-test--plan :settings_after) :disabled) 0)))
      (funcall change-settings server (asm-ls-test--plan :settings_after))
      (asm-ls-test--wait (format "`%s' still reported after the settings changed" code)
                         (lambda ()
                           (not (cl-some (lambda (text) (string-match-p (regexp-quote code) text))
                                         (asm-ls-test--texts)))))
      (asm-ls-test--wait-for (lambda () (equal (asm-ls-test--diagnostics)
                                               (asm-ls-test--plan :expected_after)))))
    (asm-ls-test--record :diagnostics-after (asm-ls-test--diagnostics))
    (when (asm-ls-test--plan :machine_code)
      (asm-ls-test--record :machine-code (funcall machine-code server (asm-ls-test--plan :machine_code))))
    (funcall shutdown server)))

(let ((status 0))
  (condition-case err
      (asm-ls-test--run)
    (error (asm-ls-test--record :error (error-message-string err))
           (setq status 1)))
  (with-temp-file (asm-ls-test--plan :out)
    (insert (json-serialize asm-ls-test-result :false-object :json-false :null-object nil)))
  (kill-emacs status))

;;; emacs_driver.el ends here
