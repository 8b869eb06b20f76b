"""Professional domains (SPEC capability C; seeds 002 §4, 004 (2)3): what a qualification's ``domain`` may be
called, which titles claim it, and which phrases give advice in it.

The four domains the seeds name: ``medical``, ``finance``, ``legal``, ``education``. An account's
``qualifications[].domain`` may use any alias below (``medicine``, ``医疗``, ``securities``, ``法律``…).
A qualification counts when its domain matches and it has not expired on the screening date.

Titles and advice phrases are plain data so a reviewer can see exactly why something fired. Chinese phrases
are matched after normalization (traditional = simplified, full-width, inserted symbols), English ones as
whole words. Weights: 1 is enough alone; 0.5 phrases need a second one (``服用`` alone is not advice).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from brightline.model import Account, Qualification

DOMAINS: tuple[str, ...] = ("medical", "finance", "legal", "education")

#: Alias (case-folded) → canonical domain.
DOMAIN_ALIASES: dict[str, str] = {
    **{a: "medical" for a in (
        "medical", "medicine", "health", "healthcare", "physician", "doctor", "pharmacy", "nursing",
        "psychology", "mental_health", "nutrition", "医疗", "医学", "医师", "医生", "执业医师", "药师", "卫生",
        "健康", "心理", "心理咨询", "营养",
    )},
    **{a: "finance" for a in (
        "finance", "financial", "securities", "investment", "investing", "banking", "insurance", "fund",
        "accounting", "tax", "金融", "证券", "投资", "基金", "期货", "银行", "保险", "财经", "理财", "会计", "税务",
    )},
    **{a: "legal" for a in ("legal", "law", "lawyer", "attorney", "judicial", "法律", "律师", "司法", "法务")},
    **{a: "education" for a in (
        "education", "teaching", "teacher", "academic", "tutoring", "admissions", "教育", "教师", "教学",
        "升学", "培训", "高校",
    )},
}

#: Titles that claim a domain when used in a display name, handle or bio.
TITLES: dict[str, tuple[str, ...]] = {
    "medical": (
        "医生", "医师", "主任医师", "副主任医师", "主治医师", "住院医师", "执业医师", "大夫", "名医", "中医师", "老中医",
        "药师", "执业药师", "营养师", "心理咨询师", "心理医生", "医学博士", "专家门诊", "三甲医院",
        "doctor", "dr.", "md", "m.d.", "physician", "surgeon", "pharmacist", "psychiatrist", "dietitian",
        "nutritionist", "nurse practitioner",
    ),
    "finance": (
        "分析师", "证券分析师", "首席分析师", "理财师", "理财规划师", "投资顾问", "投顾", "基金经理", "财经专家",
        "金融专家", "股评师", "注册会计师", "操盘手", "cfa", "cfp", "cpa", "financial advisor", "financial adviser",
        "investment advisor", "fund manager", "equity analyst", "wealth manager", "stock analyst",
    ),
    "legal": (
        "律师", "执业律师", "大律师", "法律顾问", "法官", "检察官", "法学专家", "律所主任",
        "lawyer", "attorney", "esq.", "barrister", "solicitor", "legal counsel", "legal advisor",
    ),
    "education": (
        "教授", "副教授", "博导", "教师", "特级教师", "名师", "讲师", "升学规划师", "志愿填报专家", "高考专家",
        "教育专家", "professor", "lecturer", "admissions consultant", "admissions expert",
    ),
}

#: Phrases that give advice in a domain, with weights (1 = enough alone).
ADVICE_CUES: dict[str, tuple[tuple[str, float], ...]] = {
    "medical": (
        *((p, 1.0) for p in (
            "吃什么药", "用什么药", "药量", "剂量", "每次服用", "每日服用", "遵医嘱", "停药", "换药", "处方",
            "偏方", "秘方", "包治", "根治", "治愈率", "诊断为", "确诊为", "治疗方案", "用药建议", "降压药",
            "降糖药", "抗生素", "激素", "布洛芬", "阿莫西林", "头孢", "二甲双胍", "阿司匹林",
            "dosage", "dose of", "take two", "take one", "mg twice", "mg a day", "mg per day", "stop taking",
            "diagnosis", "you should take", "treatment plan", "cures", "antibiotics", "prescription",
        )),
        *((p, 0.5) for p in (
            "服用", "治疗", "症状", "病人", "患者", "血压", "血糖", "吃药", "用药", "疗效", "医院",
            "symptoms", "treatment", "medicine", "patients", "blood pressure", "cure",
        )),
    ),
    "finance": (
        *((p, 1.0) for p in (
            "推荐买入", "建议买入", "目标价", "稳赚", "稳赚不赔", "必涨", "抄底", "加仓", "满仓", "梭哈", "建仓",
            "止损位", "牛股", "荐股", "涨停板", "翻倍股", "保本保息", "高收益", "年化收益", "理财建议", "投资建议",
            "内幕消息", "跟我买", "strong buy", "price target", "guaranteed returns", "buy the dip", "to the moon",
            "can't lose", "cannot lose", "investment advice", "financial advice", "buy now", "all in on",
        )),
        *((p, 0.5) for p in (
            "股票", "基金", "买入", "卖出", "收益", "仓位", "大盘", "a股", "比特币", "期货", "理财",
            "stocks", "shares", "crypto", "bitcoin", "portfolio", "returns",
        )),
    ),
    "legal": (
        *((p, 1.0) for p in (
            "起诉", "打官司", "律师函", "法律建议", "判几年", "赔偿标准", "胜诉", "败诉", "劳动仲裁", "维权指南",
            "诉讼时效", "可以告", "告他", "离婚财产分割", "抚养权", "量刑",
            "you can sue", "legal advice", "file a lawsuit", "statute of limitations", "custody", "sue them",
        )),
        *((p, 0.5) for p in (
            "诉讼", "法院", "赔偿", "合同", "违法", "判决", "立案", "维权", "离婚",
            "lawsuit", "court", "compensation", "contract", "liable",
        )),
    ),
    "education": (
        *((p, 1.0) for p in (
            "高考志愿", "志愿填报", "填报志愿", "升学规划", "保过", "押题", "提分秘诀", "名校录取", "择校建议",
            "考研择校", "留学申请", "包录取", "college admissions", "guaranteed admission", "admissions advice",
        )),
        *((p, 0.5) for p in (
            "高考", "中考", "考研", "分数线", "录取", "专业选择", "学习方法", "exam", "admission", "university",
        )),
    ),
}

#: Words just before a title that deny it: 我不是医生, "not a doctor".
NEGATIONS: tuple[str, ...] = ("不是", "并非", "非", "冒充", "假", "not a ", "not an ", "no ", "never a ")


def canonical_domain(value: str | None) -> str | None:
    """The canonical domain for a qualification domain as written by a platform, or None if unknown."""
    if not value:
        return None
    key = value.strip().casefold().replace("-", "_").replace(" ", "_")
    return DOMAIN_ALIASES.get(key)


def qualification_status(account: Account | None, domain: str, on: date) -> tuple[str, Qualification | None]:
    """``("current", q)``, ``("expired", q)``, ``("other_domain", q)`` or ``("none", None)`` for a domain."""
    if account is None:
        return "none", None
    same = [q for q in account.qualifications if canonical_domain(q.domain) == domain]
    current = [q for q in same if q.is_current(on)]
    if current:
        return "current", current[0]
    if same:
        return "expired", same[0]
    if account.qualifications:
        return "other_domain", account.qualifications[0]
    return "none", None


def public_view(q: Qualification) -> dict[str, Any]:
    """What a decision may show of a qualification (seed 002: show the field and identity, protect personal
    information): domain, issuer and expiry — never the licence number."""
    out: dict[str, Any] = {"domain": canonical_domain(q.domain) or q.domain}
    if q.issuer:
        out["issuer"] = q.issuer
    if q.expires is not None:
        out["expires"] = q.expires.isoformat()
    return out


def shown_qualifications(account: Account | None, on: date) -> list[dict[str, Any]]:
    """The account's current qualifications as a decision displays them (empty when none)."""
    if account is None or not account.qualifications:
        return []
    return [public_view(q) for q in account.qualifications if q.is_current(on)]


def title_phrases() -> Iterable[tuple[str, str]]:
    """Every (title, domain) pair."""
    for domain, titles in TITLES.items():
        for t in titles:
            yield t, domain
