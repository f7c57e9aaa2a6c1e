"""The papers of a dossier's life (Circular 03/2025 Annex I): what each says about the dossier.

- ``receipt``: form 01, the receipt and appointment slip, issued once per reception; ``receipt_pdf`` draws
  it on a canvas (every sent dossier has one: a few ms instead of WeasyPrint's ~130);
- ``slips``: forms 02 to 06, rendered from the record the transition left (supplement request, refusal,
  apology, stop notice, process control sheet);
- ``result``: the signed result (văn bản kết quả): its text, signature and storage, and which result the
  applicant may have;
- ``mail``: the papers an e-mail to the applicant carries.

The slips' and the result's templates are in ``templates/dossiers/papers/`` (laid out by WeasyPrint) and
extend the document frame of ``documents``, which
renders, signs, stores and verifies the files without knowing what they say.
"""
