Online payments (`dimos.payments`): citizens log in with Taxisnet (their AFM becomes their identity), see
their certified debts, pay several with one RF code through the bank's gateway, or pay any RF code without
logging in; traffic fines by ticket and plate, declared gross-revenue and transient-resident fees, common-space
occupation permits (approved by revenue staff, sealed and emailed when paid) and assessment notes. Only the
gateway's HMAC-signed callback records money, once; bank reconciliation files are matched by RF code; each
payment gets a sealed receipt; every change to a debt is audited. Documented in `docs/payments.md` and
`docs/rest-api.md`.
