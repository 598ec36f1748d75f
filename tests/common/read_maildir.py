"""Prints, as JSON, every email an SMTP test sink (aiosmtpd's Mailbox handler) stored in the
Maildir given as argument, oldest first: from, to, subject, the decoded body, and the envelope
recipients (X-RcptTo). Used by tests/common/smtp.rs and tests/browser/check.mjs."""
import email, email.policy, json, os, sys
root = sys.argv[1]
files = []
for sub in ("new", "cur"):
    d = os.path.join(root, sub)
    if os.path.isdir(d):
        files += [os.path.join(d, f) for f in os.listdir(d)]
files.sort(key=lambda f: (os.stat(f).st_mtime_ns, f))
out = []
for f in files:
    with open(f, "rb") as fh:
        m = email.message_from_bytes(fh.read(), policy=email.policy.default)
    out.append({"from": str(m["From"]), "to": str(m["To"]), "subject": str(m["Subject"]),
                "body": m.get_content(), "rcpt": str(m["X-RcptTo"])})
print(json.dumps(out))
