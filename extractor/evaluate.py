"""Score predictions against gold, exactly as ../shared/spec/scoring.md says."""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rapidfuzz import fuzz

from .errors import GoldError, fix_hint
from .grounding import grounding_problem, normalised_span
from .numbers import same_value
from .textnorm import NormalisedText, normalise

if TYPE_CHECKING:  # annotations only: the schema's pydantic models are slow to import
    from .schema import DocumentResult, KPIRecord

PAIR_RATIO = 50
INDICATOR_RATIO = 70
FIELDS = ("unit", "period", "numerator", "denominator", "target_met", "trend")
META_FIELDS = ("authority", "committee", "meeting_date", "report_period")


def ratio(numerator: float, denominator: float) -> float | None:
    """numerator / denominator, or None when the denominator is zero (never a made-up 0 or 1)."""
    return None if denominator == 0 else numerator / denominator


def prf(pairs: int, predicted: int, gold: int) -> dict[str, float | None]:
    """Precision, recall and F1 from counts; F1 = 2*pairs/(predicted+gold), the harmonic mean of P and R."""
    return {
        "precision": ratio(pairs, predicted),
        "recall": ratio(pairs, gold),
        "f1": ratio(2 * pairs, predicted + gold),
    }


def indicator_ratio(a: str, b: str) -> float:
    """rapidfuzz token_set_ratio on lower-cased, normalised indicators (0 to 100)."""
    return fuzz.token_set_ratio(normalise(a).lower(), normalise(b).lower())


def _overlap(a: tuple[int, int] | None, b: tuple[int, int] | None) -> float:
    if a is None or b is None:
        return 0.0
    shared = min(a[1], b[1]) - max(a[0], b[0])
    if shared <= 0:
        return 0.0
    return shared / min(a[1] - a[0], b[1] - b[0])


@dataclass
class Pair:
    """A predicted record paired with a gold record."""

    gold: KPIRecord
    pred: KPIRecord
    weight: float


@dataclass
class DocumentScore:
    """Everything scoring one document produced: its pairs and its unpaired records."""

    document: str
    gold: list[KPIRecord]
    pred: list[KPIRecord]
    pairs: list[Pair]
    grounded: list[bool]
    predicted_file: bool = True
    missed: list[KPIRecord] = field(default_factory=list)
    unpaired: list[KPIRecord] = field(default_factory=list)


def pair_records(gold: list[KPIRecord], pred: list[KPIRecord], text: str) -> tuple[list[Pair], list[bool]]:
    """Greedy one-to-one pairing by descending weight (scoring.md section 2); also grounding per prediction."""
    gold_spans = [normalised_span(g.evidence, text) for g in gold]
    pred_spans = [normalised_span(p.evidence, text) for p in pred]
    candidates: list[tuple[float, int, int]] = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            if not same_value(p.value, g.value):
                continue
            overlap = _overlap(gold_spans[gi], pred_spans[pi])
            similarity = indicator_ratio(p.indicator, g.indicator)
            either_ungrounded = gold_spans[gi] is None or pred_spans[pi] is None
            both_numbers = p.value is not None and g.value is not None
            by_name = (either_ungrounded or both_numbers) and similarity >= PAIR_RATIO
            if g.value is None and p.value is None:
                by_name = False
            if overlap > 0 or by_name:
                candidates.append((1 + overlap + similarity / 100, gi, pi))
    candidates.sort(key=lambda c: (-c[0], c[1], c[2]))
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    pairs = []
    for weight, gi, pi in candidates:
        if gi in used_gold or pi in used_pred:
            continue
        used_gold.add(gi)
        used_pred.add(pi)
        pairs.append(Pair(gold[gi], pred[pi], weight))
    whole = NormalisedText(text)  # once per document: every prediction is checked against it
    grounded = [span is not None and grounding_problem(p.evidence, p.value, whole) is None
                for p, span in zip(pred, pred_spans, strict=True)]
    return pairs, grounded


def score_document(gold: DocumentResult, pred: DocumentResult | None, text: str) -> DocumentScore:
    """Pair one document's predictions with its gold; a missing prediction file misses everything."""
    predicted = pred.records if pred is not None else []
    pairs, grounded = pair_records(gold.records, predicted, normalise(text))
    paired_gold = {id(p.gold) for p in pairs}
    paired_pred = {id(p.pred) for p in pairs}
    return DocumentScore(
        document=gold.document,
        gold=gold.records,
        pred=predicted,
        pairs=pairs,
        grounded=grounded,
        predicted_file=pred is not None,
        missed=[g for g in gold.records if id(g) not in paired_gold],
        unpaired=[p for p in predicted if id(p) not in paired_pred],
    )


def _field_equal(name: str, pair: Pair) -> bool:
    a, b = getattr(pair.pred, name), getattr(pair.gold, name)
    if name in ("numerator", "denominator"):
        return same_value(a, b)
    return a == b


def _comparison_key(comparison: Any) -> tuple:
    value = None if comparison.value is None else round(float(comparison.value), 3)
    change = None if comparison.change is None else round(float(comparison.change), 3)
    return comparison.basis, value, change


def metrics(scores: list[DocumentScore]) -> dict[str, Any]:
    """The scoring.md figures over a set of document scores (micro-averaged)."""
    gold = [g for s in scores for g in s.gold]
    pred = [p for s in scores for p in s.pred]
    pairs = [p for s in scores for p in s.pairs]
    strict = [p for p in pairs if p.pred.unit == p.gold.unit and p.pred.period == p.gold.period]

    def numeric(r: KPIRecord) -> bool:
        return r.value is not None

    numeric_pairs = [p for p in pairs if numeric(p.gold)]
    matched = pred_comparisons = gold_comparisons = 0
    for pair in pairs:
        p_keys = Counter(_comparison_key(c) for c in pair.pred.comparisons)
        g_keys = Counter(_comparison_key(c) for c in pair.gold.comparisons)
        matched += sum((p_keys & g_keys).values())
        pred_comparisons += sum(p_keys.values())
        gold_comparisons += sum(g_keys.values())
    suspect_gold = [p for p in pairs if p.gold.suspect]
    grounded = [g for s in scores for g in s.grounded]
    figures: dict[str, Any] = {
        "documents": len(scores),
        "gold_records": len(gold),
        "predicted_records": len(pred),
        "pairs": len(pairs),
        "records": prf(len(pairs), len(pred), len(gold)),
        "strict": prf(len(strict), len(pred), len(gold)),
        "numeric": prf(len(numeric_pairs), sum(map(numeric, pred)), sum(map(numeric, gold))),
        "status_only": prf(
            len(pairs) - len(numeric_pairs),
            len(pred) - sum(map(numeric, pred)),
            len(gold) - sum(map(numeric, gold)),
        ),
        "fields": {
            "indicator": ratio(
                sum(indicator_ratio(p.pred.indicator, p.gold.indicator) >= INDICATOR_RATIO for p in pairs),
                len(pairs),
            ),
            **{name: ratio(sum(_field_equal(name, p) for p in pairs), len(pairs)) for name in FIELDS},
        },
        "comparisons": {
            "precision": ratio(matched, pred_comparisons),
            "recall": ratio(matched, gold_comparisons),
            "f1": ratio(2 * matched, pred_comparisons + gold_comparisons),
        },
        "grounding_rate": ratio(sum(grounded), len(grounded)),
        "suspect": {
            "recall": ratio(sum(p.pred.suspect for p in suspect_gold), len(suspect_gold)),
            "false_flags": sum(p.pred.suspect and not p.gold.suspect for p in pairs),
        },
    }
    if any(carries_ids(g) for g in gold):  # only where the gold carries ids (scoring.md)
        ids = _canonical_scores(gold, pred, pairs)
        figures["fields"]["indicator_id"] = ids["indicator_id"]
        figures["canonical"] = ids["canonical"]
    return figures


def carries_ids(record: KPIRecord) -> bool:
    """Whether a gold record was labelled with indicator_id (null included); older gold files were not."""
    return "indicator_id" in record.model_fields_set


def _canonical_scores(gold: list[KPIRecord], pred: list[KPIRecord], pairs: list[Pair]) -> dict[str, Any]:
    """fields.indicator_id and canonical (scoring.md, indicators.md): ids over pairs, and P/R/F1 over records
    with an id, a prediction being right when paired with a gold record of the same id."""
    right = sum(p.pred.indicator_id is not None and p.pred.indicator_id == p.gold.indicator_id for p in pairs)
    with_id = sum(r.indicator_id is not None for r in pred)
    gold_with_id = sum(r.indicator_id is not None for r in gold)
    return {
        "indicator_id": ratio(sum(p.pred.indicator_id == p.gold.indicator_id for p in pairs), len(pairs)),
        "canonical": prf(right, with_id, gold_with_id),
    }


def _meta_scores(
    golds: Iterable[DocumentResult], preds: Mapping[str, DocumentResult]
) -> dict[str, float | None]:
    out: dict[str, float | None] = {}
    for name in META_FIELDS:
        stated = [g for g in golds if getattr(g.meta, name) is not None]
        equal = sum(
            g.document in preds and getattr(preds[g.document].meta, name) == getattr(g.meta, name)
            for g in stated
        )
        out[name] = ratio(equal, len(stated))
    return out


def incomplete(gold: DocumentResult) -> bool:
    """Whether a gold file says it is only partly judged ("complete": false, from the review page)."""
    return (gold.model_extra or {}).get("complete") is False


def refuse_incomplete(golds: Iterable[DocumentResult], where: Mapping[str, str] | None = None) -> None:
    """GoldError naming each gold file (or document) only partly judged: it is not scored unless asked."""
    partial = [(where or {}).get(g.document, g.document) for g in golds if incomplete(g)]
    if partial:
        raise GoldError(fix_hint(f"{', '.join(partial)}: only partly judged (\"complete\": false), so not scored",
                                 "judge every record in the review page and apply the corrections again "
                                 "('kpi-extract gold apply'), or score it as it is with --partial"))


def evaluate(
    golds: list[DocumentResult], preds: list[DocumentResult], texts: Mapping[str, str], *, partial: bool = False
) -> tuple[dict[str, Any], list[DocumentScore]]:
    """Score predictions against gold; return the scoring.md report and the per-document detail. Gold only
    partly judged is refused (GoldError) unless partial."""
    if not partial:
        refuse_incomplete(golds)
    by_name = {p.document: p for p in preds}
    scores = [score_document(g, by_name.get(g.document), texts[g.document]) for g in golds]
    report = metrics(scores)
    report["meta"] = _meta_scores(golds, by_name)
    report["per_document"] = [
        {"document": s.document, **{k: v for k, v in metrics([s]).items() if k != "documents"}}
        for s in scores
    ]
    return report, scores


def false_per_negative(per_document: list[dict[str, Any]]) -> float | None:
    """Mean unpaired predictions per hard negative (documents named '*_negative.*'), None without one."""
    false = [d["predicted_records"] - d["pairs"] for d in per_document
             if Path(d["document"]).stem.endswith("_negative")]
    return sum(false) / len(false) if false else None


def headline_only(report: dict[str, Any]) -> dict[str, Any]:
    """The report without its per-document rows (a held-out half's kept report), with the mean false
    records per hard negative computed from them first, as 'false_per_negative'."""
    kept = {k: v for k, v in report.items() if k != "per_document"}
    kept["false_per_negative"] = false_per_negative(report.get("per_document", []))
    return kept


def split_documents(split_csv: str | Path, half: str) -> set[str]:
    """The document names a split file puts in one half (columns 'file' and 'half')."""
    path = Path(split_csv)
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
    except OSError as exc:
        raise GoldError(f"{path}: cannot be read ({exc.strerror})") from exc
    if not rows or not {"file", "half"} <= set(rows[0]):
        raise GoldError(fix_hint(f"{path}: a split file needs the columns 'file' and 'half'",
                                 "write a header line such as 'file,half'"))
    halves = sorted({row["half"] for row in rows})
    if half not in halves:
        raise GoldError(fix_hint(f"{path}: no document is in half {half!r}", f"choose one of {', '.join(halves)}"))
    return {row["file"] for row in rows if row["half"] == half}
