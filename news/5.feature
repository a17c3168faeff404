Signing core (dimos.signing): employees' PKCS#12 files and PKCS#11 tokens sign PDFs as PAdES-B-T/B-LT
with an RFC 3161 timestamp and a visible stamp with a QR code; expired, revoked, not yet valid and
wrongly restricted certificates, wrong passwords/PINs and non-PDFs are refused in Greek and English;
verification reports intact or modified, signer, time and chain status (the Diavgeia decisions: intact,
certificate expired). The Plone endpoints and pages follow.
