"""Provenance: every insight traceable to the communities who spoke, within what they agreed to.

- :func:`redact` / :func:`redact_many`: personal data out of any text before it is exported;
- consent: :func:`quotable`, :func:`quote_text`, :func:`withdraw`, :func:`is_stale`;
- evidence: :func:`evidence`, :func:`attribution`, :class:`EvidenceMixin`, and the evidence block
  an export embeds (:func:`quote_evidence`, :func:`figure_evidence`, :func:`evidence_block`);
- :class:`RunManifest` (:func:`build_manifest`) with W3C PROV-JSON export;
- :func:`verify`: re-derive every quote and figure of an export from the corpus.
"""

from .consent import is_stale, quotable, quote_text, stale_reason, withdraw, withdrawal_log
from .evidence import (
    Evidenced,
    EvidenceMixin,
    attribution,
    evidence,
    evidence_block,
    figure_evidence,
    quote_evidence,
)
from .manifest import RunManifest, build_manifest
from .redact import REDACTION_VERSION, Redacted, Replacement, redact, redact_many
from .verify import VerifyReport, read_evidence_block, verify

__all__ = [
    "REDACTION_VERSION",
    "Redacted",
    "Replacement",
    "redact",
    "redact_many",
    "quotable",
    "quote_text",
    "withdraw",
    "withdrawal_log",
    "is_stale",
    "stale_reason",
    "evidence",
    "attribution",
    "Evidenced",
    "EvidenceMixin",
    "quote_evidence",
    "figure_evidence",
    "evidence_block",
    "RunManifest",
    "build_manifest",
    "verify",
    "VerifyReport",
    "read_evidence_block",
]
