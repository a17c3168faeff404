Digital signatures (dimos.signing): administrators register employees' PKCS#12 files or PKCS#11 tokens
(certificate details shown; expired, not yet valid, wrongly restricted certificates refused; passwords
and PINs never stored); clerks request signatures on a record's PDF from signers in order; each signer
signs from their «Προς υπογραφή» list or `POST /@sign` as PAdES-B-T/B-LT with the TSA's timestamp and a
QR stamp, earlier signatures staying valid; the record gets the signed PDF. Anyone verifies at
`/verify/<id>`, by upload, or with `GET/POST /@verify`: intact or modified, signers, timestamp, chain
status, expired-not-forged, match with the archive copy.
