"""Transparency reports (JSON and one self-contained HTML file), DSA statements of reasons checked against a
JSON Schema of the Transparency Database's fields and enums, and verifiable referral packages."""

from __future__ import annotations

import json
import zipfile
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from brightline.engine import Engine
from brightline.governance import Governance
from brightline.governance.referral import ReferralError, export_case, verify_package
from brightline.governance.sor import export as sor_export
from brightline.governance.transparency import PeriodError, compute, parse_period, render_html
from brightline.model import Account, Post, Report, Signal
from brightline.store import Store

from .conftest import at, write_pack

# JSON Schema of one statement of reasons, written from the EU Transparency Database's Statement model
# (digital-services-act/transparency-database app/Models/Statement.php, 2024) and the StoreRequest validation
# rules summarised in reference/aigc-labelling.md §7. Enums are copied from there, not from brightline.
VISIBILITY = ["DECISION_VISIBILITY_CONTENT_REMOVED", "DECISION_VISIBILITY_CONTENT_DISABLED",
              "DECISION_VISIBILITY_CONTENT_DEMOTED", "DECISION_VISIBILITY_CONTENT_AGE_RESTRICTED",
              "DECISION_VISIBILITY_CONTENT_INTERACTION_RESTRICTED", "DECISION_VISIBILITY_CONTENT_LABELLED",
              "DECISION_VISIBILITY_OTHER"]
CATEGORIES = ["STATEMENT_CATEGORY_ANIMAL_WELFARE", "STATEMENT_CATEGORY_DATA_PROTECTION_AND_PRIVACY_VIOLATIONS",
              "STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH", "STATEMENT_CATEGORY_INTELLECTUAL_PROPERTY_INFRINGEMENTS",
              "STATEMENT_CATEGORY_NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS",
              "STATEMENT_CATEGORY_NON_CONSENSUAL_BEHAVIOUR", "STATEMENT_CATEGORY_PORNOGRAPHY_OR_SEXUALIZED_CONTENT",
              "STATEMENT_CATEGORY_PROTECTION_OF_MINORS", "STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY",
              "STATEMENT_CATEGORY_SCAMS_AND_FRAUD", "STATEMENT_CATEGORY_SELF_HARM",
              "STATEMENT_CATEGORY_SCOPE_OF_PLATFORM_SERVICE", "STATEMENT_CATEGORY_UNSAFE_AND_ILLEGAL_PRODUCTS",
              "STATEMENT_CATEGORY_VIOLENCE"]
KEYWORDS = ["KEYWORD_ANIMAL_HARM", "KEYWORD_ADULT_SEXUAL_MATERIAL", "KEYWORD_AGE_SPECIFIC_RESTRICTIONS_MINORS",
            "KEYWORD_AGE_SPECIFIC_RESTRICTIONS", "KEYWORD_BIOMETRIC_DATA_BREACH", "KEYWORD_CHILD_SEXUAL_ABUSE_MATERIAL",
            "KEYWORD_CONTENT_PROMOTING_EATING_DISORDERS", "KEYWORD_COORDINATED_HARM", "KEYWORD_COPYRIGHT_INFRINGEMENT",
            "KEYWORD_DANGEROUS_TOYS", "KEYWORD_DATA_FALSIFICATION", "KEYWORD_DEFAMATION",
            "KEYWORD_DESIGN_INFRINGEMENT", "KEYWORD_DISCRIMINATION", "KEYWORD_DISINFORMATION",
            "KEYWORD_FOREIGN_INFORMATION_MANIPULATION", "KEYWORD_GENDER_BASED_VIOLENCE",
            "KEYWORD_GEOGRAPHIC_INDICATIONS_INFRINGEMENT", "KEYWORD_GEOGRAPHICAL_REQUIREMENTS",
            "KEYWORD_GOODS_SERVICES_NOT_PERMITTED", "KEYWORD_GROOMING_SEXUAL_ENTICEMENT_MINORS",
            "KEYWORD_HATE_SPEECH", "KEYWORD_HUMAN_EXPLOITATION", "KEYWORD_HUMAN_TRAFFICKING",
            "KEYWORD_ILLEGAL_ORGANIZATIONS", "KEYWORD_IMAGE_BASED_SEXUAL_ABUSE",
            "KEYWORD_IMPERSONATION_ACCOUNT_HIJACKING", "KEYWORD_INAUTHENTIC_ACCOUNTS", "KEYWORD_INAUTHENTIC_LISTINGS",
            "KEYWORD_INAUTHENTIC_USER_REVIEWS", "KEYWORD_INCITEMENT_VIOLENCE_HATRED",
            "KEYWORD_INSUFFICIENT_INFORMATION_TRADERS", "KEYWORD_LANGUAGE_REQUIREMENTS", "KEYWORD_MISINFORMATION",
            "KEYWORD_MISSING_PROCESSING_GROUND", "KEYWORD_NON_CONSENSUAL_IMAGE_SHARING",
            "KEYWORD_NON_CONSENSUAL_ITEMS_DEEPFAKE", "KEYWORD_NUDITY", "KEYWORD_ONLINE_BULLYING_INTIMIDATION",
            "KEYWORD_PATENT_INFRINGEMENT", "KEYWORD_PHISHING", "KEYWORD_PYRAMID_SCHEMES",
            "KEYWORD_REGULATED_GOODS_SERVICES", "KEYWORD_RIGHT_TO_BE_FORGOTTEN", "KEYWORD_RISK_ENVIRONMENTAL_DAMAGE",
            "KEYWORD_RISK_PUBLIC_HEALTH", "KEYWORD_SELF_MUTILATION", "KEYWORD_STALKING", "KEYWORD_SUICIDE",
            "KEYWORD_TERRORIST_CONTENT", "KEYWORD_TRADE_SECRET_INFRINGEMENT", "KEYWORD_TRADEMARK_INFRINGEMENT",
            "KEYWORD_UNLAWFUL_SALE_ANIMALS", "KEYWORD_UNSAFE_CHALLENGES", "KEYWORD_OTHER"]
COUNTRIES = ["AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT",
             "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK", "IS", "LI", "NO"]
DAY = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
SOR_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "additionalProperties": False,
    "required": ["decision_ground", "content_type", "category", "content_date", "application_date",
                 "decision_facts", "source_type", "automated_detection", "automated_decision", "puid",
                 "territorial_scope"],
    "anyOf": [{"required": [f]} for f in ("decision_visibility", "decision_monetary", "decision_provision",
                                           "decision_account")],
    "properties": {
        "decision_visibility": {"type": "array", "minItems": 1, "uniqueItems": True, "items": {"enum": VISIBILITY}},
        "decision_visibility_other": {"type": "string", "maxLength": 500},
        "decision_monetary": {"enum": ["DECISION_MONETARY_SUSPENSION", "DECISION_MONETARY_TERMINATION",
                                       "DECISION_MONETARY_OTHER"]},
        "decision_monetary_other": {"type": "string", "maxLength": 500},
        "decision_provision": {"enum": ["DECISION_PROVISION_PARTIAL_SUSPENSION", "DECISION_PROVISION_TOTAL_SUSPENSION",
                                        "DECISION_PROVISION_PARTIAL_TERMINATION",
                                        "DECISION_PROVISION_TOTAL_TERMINATION"]},
        "decision_account": {"enum": ["DECISION_ACCOUNT_SUSPENDED", "DECISION_ACCOUNT_TERMINATED"]},
        "account_type": {"enum": ["ACCOUNT_TYPE_BUSINESS", "ACCOUNT_TYPE_PRIVATE"]},
        "decision_ground": {"enum": ["DECISION_GROUND_ILLEGAL_CONTENT", "DECISION_GROUND_INCOMPATIBLE_CONTENT"]},
        "decision_ground_reference_url": {"type": "string", "format": "uri", "maxLength": 500},
        "illegal_content_legal_ground": {"type": "string", "maxLength": 500},
        "illegal_content_explanation": {"type": "string", "maxLength": 2000},
        "incompatible_content_ground": {"type": "string", "maxLength": 500},
        "incompatible_content_explanation": {"type": "string", "maxLength": 2000},
        "incompatible_content_illegal": {"enum": ["Yes", "No"]},
        "content_type": {"type": "array", "minItems": 1, "uniqueItems": True, "items": {"enum": [
            "CONTENT_TYPE_APP", "CONTENT_TYPE_AUDIO", "CONTENT_TYPE_IMAGE", "CONTENT_TYPE_PRODUCT",
            "CONTENT_TYPE_SYNTHETIC_MEDIA", "CONTENT_TYPE_TEXT", "CONTENT_TYPE_VIDEO", "CONTENT_TYPE_OTHER"]}},
        "content_type_other": {"type": "string", "maxLength": 500},
        "category": {"enum": CATEGORIES},
        "category_addition": {"type": "array", "items": {"enum": CATEGORIES}},
        "category_specification": {"type": "array", "items": {"enum": KEYWORDS}},
        "category_specification_other": {"type": "string", "maxLength": 500},
        "territorial_scope": {"type": "array", "minItems": 1, "items": {"enum": COUNTRIES}},
        "content_language": {"type": "string", "pattern": "^[A-Z]{2}$"},
        "content_date": DAY, "application_date": DAY,
        "end_date_account_restriction": DAY, "end_date_monetary_restriction": DAY,
        "end_date_service_restriction": DAY, "end_date_visibility_restriction": DAY,
        "decision_facts": {"type": "string", "minLength": 1, "maxLength": 5000},
        "source_type": {"enum": ["SOURCE_ARTICLE_16", "SOURCE_TRUSTED_FLAGGER", "SOURCE_TYPE_OTHER_NOTIFICATION",
                                 "SOURCE_VOLUNTARY"]},
        "source_identity": {"type": "string", "maxLength": 500},
        "automated_detection": {"enum": ["Yes", "No"]},
        "automated_decision": {"enum": ["AUTOMATED_DECISION_FULLY", "AUTOMATED_DECISION_PARTIALLY",
                                        "AUTOMATED_DECISION_NOT_AUTOMATED"]},
        "puid": {"type": "string", "minLength": 1, "maxLength": 500},
    },
    "allOf": [
        {"if": {"properties": {"decision_ground": {"const": "DECISION_GROUND_ILLEGAL_CONTENT"}}},
         "then": {"required": ["illegal_content_legal_ground", "illegal_content_explanation"]}},
        {"if": {"properties": {"decision_ground": {"const": "DECISION_GROUND_INCOMPATIBLE_CONTENT"}}},
         "then": {"required": ["incompatible_content_ground", "incompatible_content_explanation"]}},
        {"if": {"properties": {"source_type": {"const": "SOURCE_VOLUNTARY"}}},
         "then": {"not": {"required": ["source_identity"]}}},
    ],
}
SOR_LADDER = """
ladder:
  strike_expires_days: 90
  appeal_window_days: 183
  steps:
    - {name: warning, at: 1, statement: {en: "Warning."}}
    - name: suspension
      at: 2
      actions:
        - {type: suspend_account, days: 30}
        - {type: demonetize, measures: [ad_revenue], days: 30}
      statement: {en: "Suspended for {days} days."}
  sor:
    terms_url: https://example.org/terms
    illegal: {impersonation: "Art. 5 of the (example) Act against identity fraud"}
"""


def busy(store: Store, pack_dir: Path) -> Governance:
    """July: automated restrictions, a trusted-flagger report removed on review, two appeals (one reversed).
    August: one more decision, outside a July-only period."""
    gov = Governance(store, str(pack_dir))
    engine = Engine(str(pack_dir), detectors=[], governance=gov)
    engine.screen(Account(id="a1", display_name="A", language="en"), now=at())
    engine.screen(Account(id="a2", display_name="B"), now=at())
    pack = gov.pack
    for i, (acct, day) in enumerate([("a1", 0), ("a1", 1), ("a2", 2), ("a1", 2.5)]):
        post = Post(id=f"p{i}", account_id=acct, text=f"加我 wx{i}", created_at=at(day),
                    media=[{"path": "photo.jpg"}] if i == 0 else [])
        sig = Signal("diversion.contact", 0.97, {"span": [2, 6], "excerpt": f"wx{i}", "value": f"wx{i}"})
        gov.record(post, pack.decide(post.ref, post, [sig]), now=at(day))
    engine.screen(Post(id="ai1", account_id="a2", text="pic", topic="ai", created_at=at(3)), now=at(3))
    engine.screen(Post(id="fine", account_id="a2", text="hello", created_at=at(3)), now=at(3))
    gov.set_trusted_flagger("ngo", name="Fact NGO")
    gov.submit_report(Report(id="r1", reporter_id="ngo", subject={"kind": "post", "id": "fine"}, reason="fraud"),
                      now=at(4))
    gov.submit_report(Report(id="r2", reporter_id="u9", subject={"kind": "post", "id": "ai1"}, reason="spam"),
                      now=at(4))
    c1 = gov.next_case("alice", now=at(4, hours=6))["case"]["id"]
    gov.decide(c1, "alice", "remove", "scam offer", rules=["diversion.contact"], now=at(4, hours=10))
    c2 = gov.next_case("alice", now=at(4, hours=6))["case"]["id"]
    gov.decide(c2, "alice", "dismiss", "label is enough", now=at(4, hours=8))
    first = gov.appeal("a1", "my shop", subject=_ref("p1"), now=at(5))
    second = gov.appeal("a2", "not a scam", subject=_ref("fine"), now=at(5))
    gov.decide_appeal(first["appeal"], "bob", "reverse", "public shop number", now=at(6))
    gov.decide_appeal(second["appeal"], "bob", "uphold", "clear scam", now=at(6))
    engine.screen(Post(id="aug", account_id="a2", text="x", topic="contact", created_at=at(40)), now=at(40))
    return gov


def _ref(pid: str) -> Any:
    from brightline.model import SubjectRef

    return SubjectRef("post", pid)


@pytest.fixture
def sor_pack(tmp_path: Path) -> Path:
    return write_pack(tmp_path / "sorpack", ladder=SOR_LADDER)


def test_the_report_counts_what_happened_in_the_period(store: Store, pack_dir: Path) -> None:
    busy(store, pack_dir)
    with store.read() as session:
        report = compute(session, date(2025, 7, 1), date(2025, 7, 31))
    d = report["decisions"]
    assert d["total"] == 13 and d["manual"] == 3 and d["automated"] == 10
    assert d["by_source"] == {"screen": 10, "review": 2, "appeal": 1}
    assert d["by_verdict"] == {"allow": 5, "restrict": 4, "review": 2, "label": 1, "remove": 1}
    assert report["by_detector"] == {"diversion.contact": 5}  # four screened posts + the reversal keeps evidence
    assert report["by_category"] == {"diversion": 5, "ai": 1}
    assert report["posts_removed"] == 1 and report["posts_restricted"] == 4
    assert report["accounts_penalised"] == 1 and report["accounts_warned"] == 1  # a1 banned (p3); a2 warned
    assert report["sanctions"]["demonetisation_by_measure"] == {"tipping": 1, "live_stream": 1}
    assert report["by_action"]["strike"] == 5 and report["by_action"]["escalate_review"] == 2
    r = report["reports"]
    assert (r["received"], r["from_trusted_flaggers"], r["handled"]) == (2, 1, 2)
    assert r["by_outcome"] == {"remove": 1, "dismiss": 1} and r["median_handling_hours"] == 9.0
    a = report["appeals"]
    assert (a["submitted"], a["decided"], a["reversed"], a["reversal_rate"]) == (2, 2, 1, 0.5)
    assert report["audit_head"]["seq"] > 50
    with store.read() as session:
        august = compute(session, date(2025, 8, 1), date(2025, 8, 31))
    assert august["decisions"]["total"] == 1 and august["reports"]["received"] == 0


def test_the_html_report_is_one_self_contained_file(store: Store, pack_dir: Path) -> None:
    busy(store, pack_dir)
    with store.read() as session:
        page = render_html(compute(session, date(2025, 7, 1), date(2025, 7, 31)))

    class Refs(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.tags: list[str] = []
            self.external: list[str] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            self.tags.append(tag)
            self.external += [v for k, v in attrs if k in ("src", "href") and v]

    refs = Refs()
    refs.feed(page)
    assert refs.tags.count("svg") >= 6 and "script" not in refs.tags and "link" not in refs.tags
    assert refs.external == []  # nothing fetched from anywhere
    assert "Appeal reversal rate" in page and "50.0%" in page and "diversion.contact" in page


def test_statements_of_reasons_match_the_transparency_database_schema(store: Store, sor_pack: Path) -> None:
    gov = busy(store, sor_pack)
    gov.record(Account(id="imp", display_name="Official", bio="fake-official"),
               gov.pack.decide(Account(id="imp", bio="fake-official").ref,
                               Account(id="imp", bio="fake-official"), []), now=at(7))
    with store.read() as session:
        statements = list(sor_export(session, gov.ctx, date(2025, 7, 1), date(2025, 7, 31)))
    validator = jsonschema.Draft202012Validator(SOR_SCHEMA, format_checker=jsonschema.FormatChecker())
    for s in statements:
        errors = sorted(validator.iter_errors(s), key=str)
        assert not errors, (s["puid"], [e.message for e in errors])
    by_puid = {s["puid"]: s for s in statements}
    assert "post:fine:v2" in by_puid and "post:p1:v2" not in by_puid  # the reversal restricted nothing
    removed = by_puid["post:fine:v2"]
    assert removed["decision_visibility"] == ["DECISION_VISIBILITY_CONTENT_REMOVED"]
    assert removed["source_type"] == "SOURCE_TRUSTED_FLAGGER" and removed["source_identity"] == "Fact NGO"
    assert (removed["automated_detection"], removed["automated_decision"]) == ("No", "AUTOMATED_DECISION_NOT_AUTOMATED")
    auto = by_puid["post:p0:v1"]
    assert auto["source_type"] == "SOURCE_VOLUNTARY" and auto["automated_decision"] == "AUTOMATED_DECISION_FULLY"
    assert auto["content_type"] == ["CONTENT_TYPE_IMAGE", "CONTENT_TYPE_TEXT"]
    assert auto["category"] == "STATEMENT_CATEGORY_SCAMS_AND_FRAUD" and "wx0" in auto["decision_facts"]
    suspended = by_puid["post:p1:v1"]
    assert suspended["decision_account"] == "DECISION_ACCOUNT_SUSPENDED"
    assert suspended["end_date_account_restriction"] == "2025-08-01"
    assert suspended["decision_monetary"] == "DECISION_MONETARY_SUSPENSION"
    assert by_puid["post:ai1:v1"]["decision_visibility"] == ["DECISION_VISIBILITY_CONTENT_LABELLED"]
    illegal = by_puid["account:imp:v1"]
    assert illegal["decision_ground"] == "DECISION_GROUND_ILLEGAL_CONTENT"
    assert illegal["category_specification"] == ["KEYWORD_IMPERSONATION_ACCOUNT_HIJACKING"]
    assert illegal["content_type"] == ["CONTENT_TYPE_OTHER"] and illegal["decision_account"] == "DECISION_ACCOUNT_SUSPENDED"


def test_a_referral_package_verifies_and_tampering_shows(store: Store, pack_dir: Path, tmp_path: Path) -> None:
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    gov = Governance(store, str(pack_dir))
    Engine(str(pack_dir), detectors=[], governance=gov, base_path=tmp_path).screen(
        Post(id="p1", account_id="a1", text="x", topic="contact", media=[{"path": "photo.jpg"}]), now=at())
    gov.submit_report(Report(id="r1", reporter_id="u1", subject={"kind": "post", "id": "p1"}, reason="fraud"),
                      now=at(1))
    case = gov.next_case("alice", now=at(1))["case"]["id"]
    gov.decide(case, "alice", "remove", "scam", now=at(1))
    out = tmp_path / "referral.zip"
    with store.read() as session:
        manifest = export_case(session, case, out)
    assert set(manifest["files"]) == {"case.json", "audit.jsonl", "media/00-photo.jpg"}
    assert verify_package(out)["ok"]
    with zipfile.ZipFile(out) as zf:
        doc = json.loads(zf.read("case.json"))
        events = [json.loads(line) for line in zf.read("audit.jsonl").decode().splitlines()]
    assert [d["source"] for d in doc["decisions"]] == ["screen", "review"]
    assert doc["reports"][0]["reason"] == "fraud" and doc["account"]["strikes"]
    assert {"decision.made", "report.received", "review.decided", "strike.issued"} <= {e["type"] for e in events}

    doc["decisions"][1]["verdict"] = "allow"  # an edit after export
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(out) as src, zipfile.ZipFile(tampered, "w") as dst:
        for name in src.namelist():
            data = src.read(name)
            dst.writestr(name, json.dumps(doc).encode() if name == "case.json" else data)
    with pytest.raises(ReferralError, match="case.json was changed"):
        verify_package(tampered)
    with pytest.raises(ReferralError, match="no case 999"), store.read() as session:
        export_case(session, 999, tmp_path / "x.zip")


def test_publishing_through_the_cli(db_url: str, pack_dir: Path, jsonl_file: Any, brightline: Any,
                                    tmp_path: Path) -> None:
    src = jsonl_file([{"kind": "post", "id": "p1", "account_id": "a1", "text": "x", "topic": "contact",
                       "created_at": "2025-07-03T00:00:00Z"}])
    assert brightline("screen", src, "--policy", pack_dir, "--db", db_url, "-q").returncode == 0
    period = "--period", f"{date.today():%Y-%m-01}..{date.today():%Y-%m-%d}"
    js = brightline("transparency", "--db", db_url, *period)
    assert js.returncode == 0, js.stderr
    assert json.loads(js.stdout)["decisions"]["total"] == 1
    page = tmp_path / "report.html"
    html = brightline("transparency", "--db", db_url, *period, "--format", "html", "-o", page)
    assert html.returncode == 0 and page.read_text(encoding="utf-8").startswith("<!doctype html>")
    sor = brightline("sor", "export", "--db", db_url, *period, "--policy", pack_dir)
    assert sor.returncode == 0 and json.loads(sor.stdout.splitlines()[0])["puid"] == "post:p1:v1"
    assert brightline("transparency", "--db", db_url, "--period", "July").returncode == 2
    spec_form = brightline("transparency", "--db", db_url, "--format", "json")  # SPEC: no period = everything
    assert spec_form.returncode == 0 and json.loads(spec_form.stdout)["decisions"]["total"] == 1
    missing = brightline("transparency", "--db", f"sqlite:///{tmp_path / 'nope.db'}", "--format", "json")
    assert missing.returncode == 2 and "no database" in missing.stderr
    assert not (tmp_path / "nope.db").exists()
    assert brightline("transparency", "--db", db_url, *period, "--format", "pdf").returncode == 2


def test_periods_are_validated() -> None:
    assert parse_period("2025-07-01..2025-09-30") == (date(2025, 7, 1), date(2025, 9, 30))
    for bad in ("2025-07-01", "2025-09-30..2025-07-01", "Q3..2025"):
        with pytest.raises(PeriodError):
            parse_period(bad)
