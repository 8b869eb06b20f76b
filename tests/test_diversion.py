"""Traffic diversion: contacts and links hidden with every evasion are found with the recovered value and a
span into the ORIGINAL text; benign look-alikes (prices, dates, order numbers, models, mentions) are not."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from brightline.detectors.base import ScreenContext
from brightline.detectors.diversion import WINDOW_CHARS, DiversionDetector
from brightline.engine import Engine
from brightline.errors import BrightlineError
from brightline.model import Account, Post
from brightline.registries import Registries
from brightline.text.contacts import ContactRecognizer, contact_view

RECOGNIZER = ContactRecognizer(allow_domains=["example.com"])


def contacts(text: str) -> list[tuple[str, str]]:
    return [(f.channel, f.value) for f in RECOGNIZER.find(text) if f.detector == "diversion.contact"]


def links(text: str) -> list[tuple[str, str]]:
    return [(f.channel, f.value) for f in RECOGNIZER.find(text) if f.detector == "diversion.link"]


ZW = "\u200b"

# (text, channel, value, an evasion the finding must report or None)
CONTACTS = [
    ("加我微信 abc12345", "wechat", "abc12345", None),
    ("加我薇❤ abc12345", "wechat", "abc12345", "emoji"),
    ("威信号：meimei888", "wechat", "meimei888", "homophone"),
    ("徽信找我：dabao94079", "wechat", "dabao94079", "homophone"),
    ("vx: 13800138000", "wechat", "13800138000", "initials"),
    ("加v：lovely_girl", "wechat", "lovely_girl", "homophone"),
    ("weixin：ｌｏｖｅ＿８８８", "wechat", "love_888", "fullwidth"),
    ("wēi xìn abc12345", "wechat", "abc12345", "pinyin"),
    ("加我微亻言 abc12345", "wechat", "abc12345", "split_characters"),
    ("微微信信：abc12345", "wechat", "abc12345", "repeated"),
    ("w3ch4t: abc_987", "wechat", "abc_987", "leet"),
    ("微 信 abc_def9", "wechat", "abc_def9", "spacing"),
    ("微*信*号 abc12345", "wechat", "abc12345", "symbol_insertion"),
    ("微信: аbс12345", "wechat", "abc12345", "homoglyph"),
    ("联系 wxmumu308959，手慢无", "wechat", "wxmumu308959", None),
    ("aqq12345（微信）", "wechat", "aqq12345", None),  # "qq" inside a word is not a QQ cue
    ("abc12345（微信）", "wechat", "abc12345", None),
    ("扣扣 ２８７３９３４７", "qq", "28739347", "fullwidth"),
    ("扣扣：②⑧⑦③⑨③④⑦", "qq", "28739347", "circled_digits"),
    ("进群领红包，企鹅 六五二五四九幺五四六 备注来意", "qq", "6525491546", "chinese_numerals"),
    ("QQ群 12345678", "qq", "12345678", None),
    ("迦我薇信qq同号：28739347", "qq", "28739347", "homophone"),  # the cue next to the number names it
    ("幺三八 零零幺三 八零零零", "phone", "13800138000", "chinese_numerals"),
    ("壹叁捌零零壹叁捌零零零", "phone", "13800138000", "chinese_numerals"),
    ("幺三八〇〇幺三八〇〇〇", "phone", "13800138000", "chinese_numerals"),
    ("幺两三四五六七八九〇幺", None, None, None),  # 12234567891: not a mobile prefix, no cue
    ("电话 幺两三 四五六七 八九〇幺", "phone", "12345678901", "chinese_numerals"),
    ("①③⑧⓪⓪①③⑧⓪⓪⓪", "phone", "13800138000", "circled_digits"),
    ("1️⃣3️⃣8️⃣0️⃣0️⃣1️⃣3️⃣8️⃣0️⃣0️⃣0️⃣", "phone", "13800138000", "emoji"),
    (ZW.join("13800138000"), "phone", "13800138000", "zero_width"),
    ("1 3 8 0 0 1 3 8 0 0 0", "phone", "13800138000", "spacing"),
    ("138*0013*8000", "phone", "13800138000", "symbol_insertion"),
    ("138❤0013❤8000", "phone", "13800138000", "emoji"),
    ("号码138\n0013\n8000", "phone", "13800138000", None),
    ("+86 138 0013 8000", "phone", "13800138000", None),
    ("电话：0755-12345678", "phone", "075512345678", None),
    ("客服热线 400-123-4567", "phone", "4001234567", None),
    ("call me at 415-555-0100", "phone", "+14155550100", None),
    ("Call the store at +44 20 7946 0958", "phone", "+442079460958", None),
    ("dianhua 13912345678", "phone", "13912345678", "pinyin"),
    ("whatsapp +44 7700 900123", "whatsapp", "+447700900123", None),
    ("Add me on wh4tsapp: +44 7700 900123", "whatsapp", "+447700900123", "leet"),
    ("tg @free_vip_group", "telegram", "free_vip_group", "initials"),
    ("海外资源分享，飞机联系 @fuli_share47", "telegram", "fuli_share47", "homophone"),
    ("t e l e g r a m @crypto_signals_vip", "telegram", "crypto_signals_vip", "spacing"),
    ("✈️ @vip_channel8", "telegram", "vip_channel8", "emoji"),
    ("line id: sunny.tw88", "line", "sunny.tw88", None),
    ("my email is john.doe@gmail.com", "email", "john.doe@gmail.com", None),
    ("john(at)gmail(dot)com", "email", "john@gmail.com", "spelled_at"),
    ("write to abc123 at qq dot com", "email", "abc123@qq.com", "spelled_dot"),
    ("邮箱 abc123艾特163点com", "email", "abc123@163.com", "spelled_at"),
    ("ｊｏｈｎ＠ｇｍａｉｌ．ｃｏｍ", "email", "john@gmail.com", "fullwidth"),
]


@pytest.mark.parametrize(("text", "channel", "value", "evasion"), CONTACTS, ids=[c[0][:24] for c in CONTACTS])
def test_contact_written_with_an_evasion_is_found_with_its_value(text, channel, value, evasion) -> None:
    found = [f for f in RECOGNIZER.find(text) if f.detector == "diversion.contact"]
    if channel is None:
        assert found == []
        return
    assert [(f.channel, f.value) for f in found] == [(channel, value)]
    if evasion:
        assert evasion in found[0].evasion
    else:
        assert found[0].evasion == () or text.startswith(("联系", "号码"))


BENIGN = [
    "价格￥138.00，原价1380元，到手价 ¥13800",
    "订单号 1380013800012345，运单号：13800138000",
    "2025-07-24 13:00 开会，2025年7月24日，下午3点，13:00-18:00",
    "iPhone 15 Pro，RTX4090，型号 SM-G9910，GB 45438-2025，ISO 9001:2015",
    "今年是2025年，增长 12.5%，版本 v1.2.3，比分 3:1，第13800名",
    "阅读 13800138000 次，播放量 1380013800",
    "1 3 5 7 9 11 13 15 17 19 21",
    "Order #1380013800012345 shipped on 2025-07-24 at 13:00, total €138.00",
    "Lessons from the dot com bubble, the first dot com era, and web 2.0",
    "I saw it on WeChat yesterday; the hotel line was busy; online phone app",
    "@小明 周末一起去爬山吗？#周末去哪儿# 私信我",
    "The meeting is at 10.30 in room 4.12, see section 3.5.1 and e.g. the appendix.",
    "Meet me at the station at 5, see you there.",
    "到店消费可扫二维码付款，支持微信支付，扫码点餐",
    "我在微博上看到的，威信很高的老师，唯心主义与唯物主义",
    "坐飞机 CA1234 去北京，企鹅很可爱，电话会议 3 点开始",
    "log in. Net income rose. It was great. Com-pare prices.",
    "main.py and README.md and config.json, node.js, vue.js",
    "成绩 98.5 分，身高 175cm，体重 65kg，温度 -3.5℃",
    "第一二三四五六七八九十章",
    "京A·12345 车牌，邮编 100080，身份证号码请勿外传",
    "The recipe needs 2 cups, 1 tbsp, 350 F for 25 min; 1,380,013,800 views",
    "See https://news.example/bridge for the report",
    "Call of Duty 2 came out in 2005; see line 1380 of the log; text 3 friends",
    "微信支付 100 元，QQ音乐 2024 年度歌单，手机 12 期免息，手机尾号 8000 的用户，企鹅 2 只",
    "飞机 A380 起飞，电报大楼 1958 年建成，微信群里有 300 人，他的QQ等级是 48 级",
    "拨打 12345 政务热线，手机号码 138****8000 已绑定，版本号 1.3.8.0.0.1.3.8.0.0.0",
    "账号 abc12345 已注销，@lucky_star88 你好，#vip2024# 活动开始",
]


@pytest.mark.parametrize("text", BENIGN, ids=[b[:24] for b in BENIGN])
def test_benign_look_alike_is_not_a_contact_or_link(text: str) -> None:
    assert RECOGNIZER.find(text) == []


LINKS = [
    ("官网 https://www.someshop.com/Sale?id=3。", "url", "www.someshop.com/Sale?id=3"),
    ("最新地址 bocai888点com 手慢无", "domain", "bocai888.com"),
    ("网址 vip888。net", "domain", "vip888.net"),
    ("visit cheapmeds24 dot com now", "domain", "cheapmeds24.com"),
    ("更多福利视频戳 vipziyuan . c o m，新人注册", "domain", "vipziyuan.com"),
    ("更多福利进群 t·me/fuli_vip", "telegram", "t.me/fuli_vip"),
    ("戳 t.cn/A6xYz9 领福利", "short_link", "t.cn/A6xYz9"),
    ("Full details: bit.ly/3xYzAb", "short_link", "bit.ly/3xYzAb"),
    ("hxxps://evil[.]com/x", "url", "evil.com/x"),
    ("chat.whatsapp.com/AbCdEf123", "whatsapp", "chat.whatsapp.com/AbCdEf123"),
    ("资料已打包，扫码加群领取", "qr", "扫码加群"),
    ("Scan the QR code in my profile to join the VIP group", "qr", None),
    ("长按识别二维码，添加好友", "qr", None),
]


@pytest.mark.parametrize(("text", "channel", "value"), LINKS, ids=[t[0][:24] for t in LINKS])
def test_link_is_found_with_the_recovered_destination(text, channel, value) -> None:
    found = links(text)
    assert len(found) == 1 and found[0][0] == channel
    if value is not None:
        assert found[0][1] == value


def test_operator_own_domains_are_never_reported() -> None:
    assert links("帮助中心 https://help.example.com/faq 或 example.com") == []
    own = ContactRecognizer(allow_domains=["myshop.cn"])
    assert [f.value for f in own.find("官网 www.myshop.cn/x，别去 other-shop.cn")] == ["other-shop.cn"]


def test_span_points_at_the_original_characters_even_after_emoji_and_supplementary_chars() -> None:
    text = "😀😀🎉 今天福利👉 加我薇❤️ 𝐚𝐛𝐜𝟏𝟐𝟑𝟒𝟓 然后"
    [f] = RECOGNIZER.find(text)
    excerpt = text[f.start:f.end]
    assert excerpt.startswith("薇") and excerpt.endswith("𝟓")
    assert f.value == "abc12345" and "stylised" in f.evasion
    assert len(contact_view(text)) == len(text)


def test_detector_reports_account_fields_and_post_title_with_the_field_named() -> None:
    det = DiversionDetector(Registries(), {})
    ctx = ScreenContext(Registries())
    account = Account(id="a1", display_name="小美（vx：meimei888）", handle="tg_anna", bio="合作 📧 biz@brand.cn")
    found = {(s.evidence["field"], s.evidence["value"]) for s in det.detect(account, ctx)}
    assert found == {("display_name", "meimei888"), ("bio", "biz@brand.cn")}
    post = Post(id="p1", title="福利 t·me/fuli", text="详情看标题")
    [sig] = det.detect(post, ctx)
    assert sig.detector == "diversion.link" and sig.evidence["field"] == "title"
    ev = sig.evidence
    assert post.title[ev["span"][0]:ev["span"][1]] == ev["excerpt"] == "t·me/fuli"
    assert ev["evaded"] is True and "spelled_dot" in ev["evasion"]


def test_plain_contact_is_marked_not_evaded_so_rules_can_tell_it_apart() -> None:
    det = DiversionDetector(Registries(), {})
    [sig] = det.detect(Post(id="p", text="订座电话 0755-12345678"), ScreenContext(Registries()))
    assert sig.evidence["evaded"] is False and sig.evidence["evasion"] == []
    assert "field" not in sig.evidence


def test_bad_allow_domains_option_is_a_clear_error() -> None:
    with pytest.raises(BrightlineError, match="allow_domains"):
        DiversionDetector(Registries(), {"allow_domains": "example.com"})


def test_pack_option_allow_domains_reaches_the_detector() -> None:
    engine = Engine("cn-cac-2025")
    decision = engine.screen(Post(id="p", text="官网 https://www.example.com/help，其他 https://other.cn/x"))
    assert [s.evidence["value"] for s in decision.signals if s.detector == "diversion.link"] == ["other.cn/x"]


def test_engine_restricts_an_evasive_contact_and_names_the_value_in_the_statement() -> None:
    decision = Engine("cn-cac-2025").screen(Post(id="p", text="有事打我电话 幺三八 零零幺三 八零零零"))
    assert decision.verdict == "restrict"
    assert "13800138000" in decision.statement
    assert decision.distribution.recommendation is False


def test_long_text_is_read_in_windows_and_spans_stay_exact() -> None:
    det = DiversionDetector(Registries(), {})
    filler = "今天天气很好，我们去公园散步。" * (WINDOW_CHARS // 15 + 10)
    boundary = WINDOW_CHARS - 256 - 5  # a contact straddling the first window's end
    text = filler[:boundary] + "加我薇信 abc12345" + filler[boundary:] + "电话 13912345678"
    sigs = list(det.detect(Post(id="p", text=text), ScreenContext(Registries())))
    assert [s.evidence["value"] for s in sigs] == ["abc12345", "13912345678"]
    for s in sigs:
        a, b = s.evidence["span"]
        assert text[a:b] == s.evidence["excerpt"]


def test_hostile_input_finishes_with_bounded_output() -> None:
    for text in ("1 " * 20000, "a@b." * 5000, "微" * 20000, "\u200b" * 20000, "加我薇❤ abc12345 " * 3000,
                 "wxid_" * 4000, "a.com/" * 3000, "微信" + "：" * 20000 + "abc123"):
        assert len(RECOGNIZER.find(text)) <= RECOGNIZER.max_findings
    many = " ".join(f"vx: user{n:05d}" for n in range(500))
    assert len(RECOGNIZER.find(many)) == RECOGNIZER.max_findings


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gives_spans_inside_the_text(text: str) -> None:
    for f in RECOGNIZER.find(text):
        assert 0 <= f.start < f.end <= len(text)
        assert f.value


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet="今天我们去公园玩吧好的谢谢 ，。！abcdefg", max_size=60),
       st.text(alphabet="今天我们去公园玩吧好的谢谢 ，。！abcdefg", max_size=60))
def test_a_contact_inside_benign_chatter_is_still_found(before: str, after: str) -> None:
    text = f"{before} 微信：abc12345 {after}"
    assert ("wechat", "abc12345") in contacts(text)


def test_labelled_evaluation_meets_the_spec_targets_at_reduced_size() -> None:
    """bench/eval_diversion.py: generated hidden contacts/links and benign look-alikes (see its docstring)."""
    import json
    import subprocess
    import sys
    from pathlib import Path

    script = Path(__file__).resolve().parents[1] / "bench" / "eval_diversion.py"
    proc = subprocess.run([sys.executable, str(script), "--size", "1200", "--seed", "3", "--json", "--check", "--speed", "0"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    figures = json.loads(proc.stdout)
    for det in ("diversion.contact", "diversion.link"):
        row = figures["detectors"][det]
        assert row["recall"] >= 0.95 and row["precision"] >= 0.98, (det, row)
        assert row["tp"] >= 50
