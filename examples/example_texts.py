"""Hand-written templates for brightline's example data (used by ``make_examples.py``).

Every text here was written by hand after the patterns the CAC "Qinglang" notices describe (seeds 001-004:
self-media rumours, vague sourcing, impersonation of official bodies, unqualified medical/financial/legal
advice, traffic diversion with hidden contacts, unlabelled AI content) and after ordinary social-media
posts. Names, handles, numbers and domains are fictional; placeholders in ``{braces}`` are filled by the
generator with a fixed seed.

Each post template is ``(text, expected detectors)``: the detectors a reviewer would expect to fire on it.
An empty tuple marks a benign post, often a deliberate near-miss (a price, an order number, a product
model, a named source).
"""

from __future__ import annotations

CITIES = ("杭州", "成都", "武汉", "西安", "南京", "长沙", "郑州", "青岛", "厦门", "昆明", "合肥", "济南")
CITIES_EN = ("Hangzhou", "Chengdu", "Wuhan", "Xi'an", "Nanjing", "Changsha", "Qingdao", "Xiamen")
DISTRICTS = ("高新区", "经开区", "城东", "江北", "老城区", "滨江")

# --- accounts ---------------------------------------------------------------------------------------------

#: Ordinary users. Several names contain place names or words from the protected-entity registry on purpose
#: (北京烤鸭店, 人民公园跑步团, 新华书店): they must not look like impersonation.
ORDINARY_ACCOUNTS: tuple[tuple[str, str, str], ...] = (
    ("北京烤鸭店老李", "laoli_roastduck", "三代人做烤鸭，店在前门大街，欢迎来尝尝。"),
    ("上海小笼包", "sh_xiaolongbao", "记录上海街头的小吃，不接广告。"),
    ("湖南人在深圳", "hunanren_sz", "湘妹子，深漂第五年，分享租房和通勤。"),
    ("人民公园跑步团", "rmgy_running", "每周六早上七点人民公园东门集合，风雨无阻。"),
    ("新华书店常客", "bookworm_0721", "每个周末都泡在书店里，读书笔记不定期更新。"),
    ("成都吃货日记", "cd_foodie", "火锅、串串、冒菜，成都本地人的私藏清单。"),
    ("小王爱旅行", "xiaowang_trip", "去过 31 个省，下一站新疆。"),
    ("西安大学城打工人", "xa_worker", "程序员，偶尔写写代码，偶尔写写诗。"),
    ("猫咪一家人", "cat_family_3", "家里三只猫：橘子、芝麻、汤圆。"),
    ("长沙夜市探店", "cs_nightmarket", "坡子街、五一广场，夜宵地图持续更新。"),
    ("考研上岸的阿杰", "ajie_kaoyan", "2024 考研上岸，分享复习经验。"),
    ("杭州骑行俱乐部", "hz_cycling", "西湖环湖、九溪、龙井，骑行路线分享。"),
    ("Emma in Shanghai", "emma_sh", "British teacher living in Shanghai. Food, language, everyday life."),
    ("China travel tips", "chinatraveltips", "Practical tips for travelling in China: trains, payments, visas."),
    ("Dan the Builder", "dan_builds", "Weekend woodworking and home repair. No sponsorships."),
    ("Priya Codes", "priya_codes", "Backend engineer. Posts about Python, Postgres and bad coffee."),
    ("青岛海边的阿海", "qd_ahai", "在青岛开民宿，海边日出每天都不一样。"),
    ("武汉热干面爱好者", "whrgm", "过早吃什么？热干面配蛋酒。"),
    ("南京梧桐树下", "nj_wutong", "南京的秋天最好看，拍照爱好者。"),
    ("厦门鼓浪屿民宿", "gly_homestay", "鼓浪屿上的小民宿，预订请在平台下单。"),
    ("郑州宝妈日常", "zz_mama", "两个娃的妈，育儿和家常菜。"),
    ("昆明花市小张", "km_flower", "斗南花市摆摊十年，鲜花知识分享。"),
    ("合肥科技迷", "hf_techfan", "数码产品测评，手机、显卡、耳机。"),
    ("济南泉水人家", "jn_quanshui", "住在曲水亭街，记录泉城四季。"),
    ("中国好声音追星族", "voice_fans", "只追节目，不追八卦。"),
    ("Mark's Kitchen", "marks_kitchen", "Home cook. Weeknight recipes under 30 minutes."),
    ("Lena Runs", "lena_runs", "Marathoner, 3:29 PB. Training logs and race reports."),
    ("老周钓鱼", "laozhou_fishing", "退休老头，每天钓鱼，空军也快乐。"),
    ("重庆山城摄影", "cq_photo", "洪崖洞、李子坝，山城的魔幻角度。"),
    ("深圳硬件工程师", "sz_hw_eng", "画板子的，分享 PCB 和嵌入式。"),
)

#: Accounts holding a current professional qualification (their advice is allowed; the qualification is shown).
QUALIFIED_ACCOUNTS: tuple[tuple[str, str, str, str, str], ...] = (
    # display name, handle, bio, domain, issuer
    ("协和医院张医生", "dr_zhang_cardio", "心内科主治医师，科普高血压与心衰。", "medical", "国家卫生健康委员会"),
    ("儿科王主任", "peds_wang", "儿科主任医师，从业二十年。", "medical", "国家卫生健康委员会"),
    ("李律师说法", "lawyer_li", "执业律师，专注劳动争议与婚姻家事。", "legal", "司法部"),
    ("理财师陈晨", "cfp_chenchen", "持证理财规划师，只讲常识，不荐股。", "finance", "中国证券业协会"),
    ("Dr. Sarah Okafor", "dr_okafor", "Board-certified family physician. Evidence-based health tips.", "medical", "General Medical Council"),
    ("高考志愿规划师刘老师", "gaokao_liu", "十年高考志愿填报指导经验。", "education", "中国教育学会"),
)

#: Accounts that claim a professional title but hold no qualification (or an expired one).
UNQUALIFIED_ACCOUNTS: tuple[tuple[str, str, str], ...] = (
    ("养生李医生", "yangsheng_li", "三十年老中医，祖传秘方调理各种慢性病。"),
    ("股神老陈-金牌分析师", "gushen_chen", "带你抓涨停，跟着老陈吃肉。"),
    ("张律师在线", "zhang_lawyer_online", "免费法律咨询，包赢官司。"),
    ("减肥教授Amy", "amy_jianfei", "教你一个月瘦二十斤，不反弹。"),
    ("Dr. Mike Health Tips", "drmike_tips", "Doctor-approved natural cures they don't want you to know."),
    ("Crypto Analyst Jay", "jay_crypto", "Financial analyst. 100x gems before they pump."),
    ("育儿专家田妈妈", "tian_mama", "儿童发烧咳嗽不用去医院，听我的。"),
    ("宝藏理财师小美", "xiaomei_licai", "手把手教你年化 20% 的理财方法。"),
)

#: An account whose qualification expired: its medical advice needs a current qualification again.
EXPIRED_ACCOUNT: tuple[str, str, str, str, str, str] = (
    "心内科陈医生", "dr_chen_xnk", "前三甲医院心内科医生，科普心血管健康。", "medical", "国家卫生健康委员会", "2024-06-30",
)

#: Impersonation of registered protected entities (seed 004 (2)): added words, traditional characters,
#: inserted symbols, homoglyphs, pinyin and English aliases.
IMPERSONATOR_ACCOUNTS: tuple[tuple[str, str, str], ...] = (
    ("中国疾控中心官方", "chinacdc_official", "第一时间发布疫情防控权威消息。"),
    ("新华社快讯", "xinhua_kuaixun", "24 小时滚动播报国内外重大新闻。"),
    ("人民日报-官方发布", "rmrb_fabu", "转载人民日报最新报道。"),
    ("國務院發布", "guowuyuan_fabu", "政策解读，权威发布。"),
    ("新·华·社 新闻中心", "xhs_news_center", "新闻早知道。"),
    ("中国疾控中⼼", "cdc_china_2025", "疾控权威信息，每日更新。"),
    ("China CDC Official", "chinacdc_en", "Official updates on disease control in China."),
    ("Xinhua News HQ", "xinhua_hq", "Breaking news from Xinhua headquarters."),
    ("RMRB资讯", "renminribao_official", "人民日报资讯转发。"),
    ("国家疾控中心发布", "ncdc_fabu", "权威发布，请关注。"),
)

#: The entities' own accounts: listed in the registry's ``accounts`` column, never flagged.
GENUINE_ACCOUNTS: tuple[tuple[str, str, str, str], ...] = (
    ("新华社", "xinhua", "新华通讯社官方账号。", "新华社"),
    ("中国疾控中心", "chinacdc", "中国疾病预防控制中心官方账号。", "中国疾病预防控制中心"),
    ("人民日报", "peoplesdaily", "人民日报官方账号。", "人民日报"),
)

#: Accounts that divert traffic in their profile itself.
DIVERSION_ACCOUNTS: tuple[tuple[str, str, str], ...] = (
    ("兼职日结小助理", "jianzhi_helper", "宝妈学生兼职，日结 200+，合作加{cue} {wechat}"),
    ("福利姬Momo", "momo_fuli", "更多福利私聊，飞机 t·me/{tg}"),
    ("Free Followers Bot", "followers_bot", "Grow 10k followers in a week. Telegram: @{tg}"),
    ("代购小甜甜", "daigou_tian", "日韩代购，正品保证，扣扣 {qq}"),
)

#: Matrix accounts used for the copy-paste campaign.
MATRIX_NAMES = ("好物分享官", "吃货推荐君", "本地生活号", "探店小分队")

# --- posts ------------------------------------------------------------------------------------------------
# Placeholders filled by the generator: {wechat} {cue} {phone} {qq} {tg} {email} {wa} {domain} {short}
# {city} {city_en} {district} {n} {n2} {price} {order} {stock} {ticker}

#: (text, expected detectors, evasions written into the template itself; the generator adds the ones it draws)
DIVERSION_CONTACT: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("兼职日结，宝妈学生都可以做，每天一两个小时，想做的加我{cue}：{wechat}", ("diversion.contact",), ()),
    ("想要完整版资料的姐妹加我{cue} {wechat}，备注“资料”", ("diversion.contact",), ()),
    ("平台限流了，老粉丝来{cue}找我：{wechat}", ("diversion.contact",), ()),
    ("急招打字员，手机就能做，联系电话 {phone}", ("diversion.contact",), ()),
    ("有需要的私聊，或者直接打 {phone}，24小时在线", ("diversion.contact",), ()),
    ("装修报价免费出，电话：{phone}（微信同号）", ("diversion.contact",), ()),
    ("游戏代练上分，扣扣 {qq}，价格美丽", ("diversion.contact",), ("homophone:扣扣",)),
    ("进群领红包，企鹅 {qq} 备注来意", ("diversion.contact",), ("nickname:企鹅",)),
    ("考试答案提前出，球球：{qq}", ("diversion.contact",), ("homophone:球球",)),
    ("海外资源分享，飞机联系 @{tg}", ("diversion.contact",), ("nickname:飞机",)),
    ("纸飞机搜 {tg} 就能找到我，这里说话不方便", ("diversion.contact",), ("nickname:纸飞机",)),
    ("高仿名表一比一，详情问 v❤ {wechat}", ("diversion.contact",), ("emoji:v❤",)),
    ("➕V：{wechat} 拉你进内部群，名额有限", ("diversion.contact",), ("emoji:➕V",)),
    ("加 威 信 {wechat}，教你零成本开网店", ("diversion.contact",), ("homophone:威信", "spaced")),
    ("这里不让发，懂的都懂：{phone}", ("diversion.contact",), ()),
    ("工作室接单，邮箱 {email}，看到就回", ("diversion.contact",), ()),
    ("weixin：{wechat} 每天分享内部消息", ("diversion.contact",), ("pinyin:weixin",)),
    ("需要的滴滴我 vx {wechat}", ("diversion.contact",), ("abbreviation:vx",)),
    ("批发价拿货，WhatsApp {wa}", ("diversion.contact",), ()),
    ("Wholesale prices for bulk orders, WhatsApp me at {wa}", ("diversion.contact",), ()),
    ("DM is broken here, message me on telegram: @{tg}", ("diversion.contact",), ()),
    ("Want the full guide? Add me on WeChat: {wechat}", ("diversion.contact",), ()),
    ("Serious buyers only — email {email}", ("diversion.contact",), ()),
    ("Call or text {phone} for the discount code", ("diversion.contact",), ()),
    ("刷单返利，一单一结，联系 {cue}{wechat}，手慢无", ("diversion.contact", "lexicon"), ("no_space",)),
    ("帮忙点赞就给钱，扫码不行就加{cue} {wechat}", ("diversion.contact", "diversion.link"), ()),
    ("减肥茶一盒见效，客服热线 {phone}", ("diversion.contact",), ()),
    ("代写论文，包过查重，QQ：{qq}", ("diversion.contact",), ()),
)

DIVERSION_LINK: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("更多福利视频戳 {domain}，新人注册送 88 元", ("diversion.link",)),
    ("完整版在这里：{domain}/vip", ("diversion.link",)),
    ("官网被封了，新地址 {domain}，收藏好", ("diversion.link",)),
    ("电报群 t·me/{tg} 每天更新资源", ("diversion.link",)),
    ("短链直达：t.cn/{short}", ("diversion.link",)),
    ("Limited spots, sign up at bit.ly/{short}", ("diversion.link",)),
    ("扫码加群，二维码在评论区置顶，进群送资料", ("diversion.link",)),
    ("Scan the QR code in my profile to join the VIP group", ("diversion.link",)),
    ("下载 APP 领现金：https://{plain_domain}/download?inv={n}", ("diversion.link",)),
    ("go to {plain_name} dot com for the real deal", ("diversion.link",)),
    ("点击主页链接 → {domain}，手把手教你赚钱", ("diversion.link",)),
    ("老地方见：{plain_name}。com", ("diversion.link",)),
)

#: Terms from the bundled lexicon (registries/data/lexicon.csv), plain and with the evasions lexicons face.
LEXICON: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("代开发票，各行各业都能开，税点低，量大从优。", ("lexicon",)),
    ("专业办证刻章，三天出证，全国包邮。", ("lexicon",)),
    ("代 开 发 票 找我，当天出票。", ("lexicon",)),
    ("代開發票，增值稅普票專票都有。", ("lexicon",)),
    ("办✦证✦刻✦章，加急可做。", ("lexicon",)),
    ("网赌上头的时候真的什么都不顾了，输了二十多万。", ("lexicon",)),
    ("时时彩计划群，每天稳定盈利，跟单就行。", ("lexicon",)),
    ("寂寞的夜晚，裸聊一对一，真人不见面。", ("lexicon",)),
    ("高利贷秒批，无抵押无担保，黑户也能下款。", ("lexicon",)),
    ("信用卡套现，手续费低至 0.6%，秒到账。", ("lexicon",)),
    ("Best casino bonus codes for new players, 200% match on your first deposit!", ("lexicon",)),
    ("Discreet escort service available in {city_en}, message for rates.", ("lexicon",)),
    ("網賭輸光了積蓄，奉勸大家遠離。", ("lexicon",)),
    ("信用卡 tao xian 找我，费率全网最低。", ("lexicon",)),
    ("代开发票请加{cue} {wechat}", ("lexicon", "diversion.contact")),
)

#: Current-affairs posts with no source at all (seed 002 §3: hot events must name their source).
SOURCE_MISSING: tuple[tuple[str, tuple[str, ...], str | None], ...] = (
    ("突发！{city}{district}一化工厂发生爆炸，现场浓烟滚滚，已造成多人受伤，救援正在进行中。", ("source.missing",), None),
    ("{city}地铁{n}号线今早突发故障停运，大量乘客滞留站台，请大家绕行。", ("source.missing",), "social_event"),
    ("最新消息：{city}下月起实施购房新政，首套房首付比例下调至15%。", ("source.missing",), "public_policy"),
    ("{city}一所小学发生集体食物中毒，{n2}名学生被送医。", ("source.missing",), None),
    ("{city}发生4.8级地震，震感强烈，多栋房屋出现裂缝。", ("source.missing",), "disaster"),
    ("通报：{city}一副局长被查，涉嫌严重违纪违法。", ("source.missing",), "current_affairs"),
    ("Breaking: a bridge collapsed in {city_en} this morning, several cars fell into the river.", ("source.missing",), None),
    ("Breaking news — {city_en} announces a citywide lockdown starting tonight.", ("source.missing",), "public_health"),
    ("{city}高速连环追尾，十几辆车撞在一起，现场惨烈。", ("source.missing",), "social_event"),
    ("明天起{city}全市中小学停课一周，家长们注意。", ("source.missing",), "public_policy"),
)

#: Vague attribution (seed 002 §3: 网传, 据网友爆料, 来自网络...).
SOURCE_VAGUE: tuple[tuple[str, tuple[str, ...], str | None], ...] = (
    ("网传{city}明天起全面限行，单双号都不能开，大家互相转告！", ("source.vague",), None),
    ("据网友爆料，{city}某小区电梯突然坠落，里面还有人，太吓人了。", ("source.vague",), None),
    ("听说{city}要全面封控了，赶紧去超市囤点菜吧。", ("source.vague",), "public_health"),
    ("朋友圈都在传{city}的自来水被污染了，先别喝！", ("source.vague",), None),
    ("有消息称下周起全国油价每升上涨1元，赶紧去加满。", ("source.vague",), "economy"),
    ("来自网络：{city}一男子因拒绝扫码被罚款5000元。", ("source.vague",), None),
    ("Reportedly online, {city_en} will shut all schools next week because of a new virus.", ("source.vague",), None),
    ("It's going around online that the {city_en} metro will be free from Monday. Sources say it's confirmed.", ("source.vague",), None),
    ("网传{city}{district}发生枪击案，警方已封锁现场。", ("source.vague",), "crime"),
)

#: A source present but hidden: last line of a long text, or tiny markup. Weak, not absent.
SOURCE_WEAK: tuple[tuple[str, tuple[str, ...], str | None], ...] = (
    (
        "{city}暴雨持续第三天，{district}多条道路积水超过半米，部分小区停水停电。市民反映，低洼地带的车库已经"
        "被淹，不少车辆泡在水里。沿街商铺纷纷用沙袋堵门，公交线路大面积调整，地铁站口加装了挡水板。"
        "学校宣布明天停课，企业也通知员工居家办公。有居民说这是近二十年来最大的一场雨。气象部门称降雨"
        "还将持续，提醒市民减少外出，远离河道和危房，注意用电安全。各街道已组织人员转移低洼地区群众，"
        "设立临时安置点提供食物和饮用水。\n\n\n<small>来源：{city}日报</small>",
        ("source.missing",),
        "disaster",
    ),
    (
        "关于{city}新出台的电动车管理规定，我整理了几个要点：一是未上牌的电动车不得上路；二是电动车"
        "不得进楼道充电；三是骑行必须佩戴头盔，违者罚款；四是外卖电动车要统一编号；五是超标车过渡期"
        "截至年底。大家最关心的是罚款金额，目前看是二十到五十元不等。还有人问老年代步车怎么办，规定里"
        "暂时没有明确说法。家里有超标车的抓紧时间处理，过渡期结束后查处会很严格。转给身边骑电动车的"
        "朋友看看吧，别被罚了才知道。（据{city}发布）",
        ("source.missing",),
        "public_policy",
    ),
)

#: Current affairs WITH a named source: benign near-misses for the source detectors.
SOURCED_NEWS: tuple[tuple[str, str | None, str | None], ...] = (
    ("据新华社报道，{city}今年上半年地区生产总值同比增长5.{n}%，增速高于全国平均水平。", None, "economy"),
    ("来源：人民日报｜{city}启动防汛四级应急响应，各部门进入汛期值班状态。", None, "disaster"),
    ("According to Reuters, China's exports rose 7.2% in July from a year earlier.", None, "economy"),
    ("{city}公布新一批保障性租赁住房名单，申请时间为8月1日至8月31日。", "https://www.gov.cn/zhengce/2025-07/24/content_7001234.htm", "public_policy"),
    ("中国疾控中心发布夏季健康提示：高温天气注意防暑，减少午后户外活动。（来源：中国疾控中心官网）", None, "public_health"),
    ("据中新社消息，{city}国际马拉松将于11月{n}日鸣枪，报名通道下周开启。", None, "social_event"),
    ("The Associated Press reports that heavy rain has disrupted flights in {city_en}; airlines advise checking status.", None, "disaster"),
    ("{city}市公安局官方通报：{district}一起交通事故已妥善处置，无人员死亡。", "{city}市公安局官方微博", "social_event"),
    ("据央视新闻，今年全国高考报名人数为1342万人。", None, "current_affairs"),
)

#: Advice needing a qualification (seeds 002 §4, 004 (2)3): (text, detectors when the author is unqualified).
ADVICE: tuple[tuple[str, str], ...] = (
    ("高血压的朋友听我的，每天早晚各吃两片{drug}，一个月就能停掉降压药。", "medical"),
    ("孩子发烧38度5别去医院，用生姜加红糖煮水，喝三天就好，我家都这么治。", "medical"),
    ("糖尿病不用打胰岛素，每天吃苦瓜就能把血糖降下来，亲测有效。", "medical"),
    ("胃痛吃什么药？奥美拉唑一次两粒，一天三次，吃一个星期保好。", "medical"),
    ("推荐买入{stock}，目标价{price}元，稳赚不赔，明天开盘直接满仓！", "finance"),
    ("这只基金年化收益20%，保本保息，闭眼买就行，错过再等一年。", "finance"),
    ("现在就是抄底的时候，{stock}下周必涨停，借钱也要上。", "finance"),
    ("欠钱不还直接起诉，打官司我包你赢，私信我帮你写起诉状。", "legal"),
    ("离婚前先把存款转到父母名下，法院查不到，房子也能保住。", "legal"),
    ("高考志愿这么填，保证上985，分数不够也能冲。", "education"),
    ("Take 2 tablets of ibuprofen every 4 hours and you can skip the doctor for a fever.", "medical"),
    ("Buy {ticker} now, price target ${price}, guaranteed 3x by December.", "finance"),
    ("You don't need a lawyer. Sue them in small claims and you'll win, 100% guaranteed.", "legal"),
    ("Stop taking your statins — a teaspoon of apple cider vinegar a day lowers cholesterol better.", "medical"),
)

#: The same domains handled responsibly by qualified authors (benign: qualification present and current).
QUALIFIED_ADVICE: dict[str, tuple[str, ...]] = {
    "medical": (
        "夏季高血压患者要注意监测血压，出汗多时血压可能偏低，调整用药请先咨询主治医生。",
        "孩子发烧超过38.5度可以按体重使用退烧药，精神差、持续高热三天以上要及时就医。",
        "Fever in adults: rest, fluids, and paracetamol as directed; see a doctor if it lasts more than 3 days.",
    ),
    "legal": ("借钱不还可以先发律师函，再考虑起诉；诉讼时效一般为三年，注意保留转账记录和聊天记录。",),
    "finance": ("理财先留足六个月生活费作为应急金，再考虑配置基金；任何承诺保本高收益的产品都要警惕。",),
    "education": ("填报志愿前先看清近三年的录取位次，不要只看分数线，冲稳保的比例建议 3:4:3。",),
}

#: Reposts of debunked claims: reworded, padded, traditional characters, English. The generator keeps only
#: those whose claim it can name; see ``make_examples.py``.
DEBUNKED: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("喝高度白酒可以预防新冠病毒感染，家里老人都备上！", ("claims.debunked",)),
    ("转发：白酒度数越高越能杀死新冠病毒，每天喝二两就不会被感染。", ("claims.debunked",)),
    ("飲用高度白酒可以預防新冠病毒感染，大家轉告家人。", ("claims.debunked",)),
    ("吃碘盐可以防核辐射，赶紧去超市抢几包盐！", ("claims.debunked",)),
    ("5G基站会传播新冠病毒，我们小区坚决不让建。", ("claims.debunked",)),
    ("微波炉加热过的食物会致癌，我家早就不用了。", ("claims.debunked",)),
    ("香蕉和牛奶一起吃会中毒，千万别给孩子这么吃！", ("claims.debunked",)),
    ("5G towers spread COVID-19. Share before they delete this!", ("claims.debunked",)),
    ("Drinking hot water every 15 minutes washes the coronavirus into your stomach where acid kills it.", ("claims.debunked",)),
    ("紧急通知：旧版人民币年底全部作废，家里有老钱的赶紧去银行换！", ("claims.debunked", "source.missing")),
    ("个人存款超过50万以后要征收存款税了，赶紧把钱取出来。", ("claims.debunked", "source.missing")),
    ("隔夜菜千万别吃，亚硝酸盐严重超标，吃了会致癌！", ("claims.debunked",)),
    ("WhatsApp will start charging a monthly fee unless you forward this message to 10 contacts!", ("claims.debunked",)),
)

#: A fact-check of a debunked claim: quotes the claim in order to refute it (a hard near-miss).
DEBUNK_NEAR_MISS = "辟谣：喝高度白酒不能预防新冠病毒感染，酒精进入血液后无法杀灭病毒。（来源：中国互联网联合辟谣平台）"

#: AI-related posts. Media names refer to files ``make_examples.py`` draws.
AIGC_POSTS: tuple[tuple[str, tuple[str, ...], bool, tuple[str, ...]], ...] = (
    # text, media files, declared_ai, expected detectors
    ("用AI画了一张赛博朋克风的{city}夜景，大家觉得怎么样？", ("media/aigc_labelled.png",), False, ("aigc",)),
    ("新做的海报，配色还行吗？", ("media/aigc_labelled_xmp.jpg",), False, ("aigc",)),
    ("今天的晚霞太美了，随手一拍。", ("media/sd_parameters.png",), False, ("aigc",)),
    ("周末画的小猫，求夸。", ("media/comfyui_cat.png",), False, ("aigc",)),
    ("Stock photo for my blog post about remote work.", ("media/iptc_trained_algorithmic.jpg",), False, ("aigc",)),
    ("我用AI写了一首关于{city}的小诗：江水向东流，灯火照高楼。", (), True, ("aigc",)),
    ("【本内容由AI生成】{city}未来城市概念图，仅供欣赏。", (), False, ("aigc",)),
    ("AI-generated: what {city_en} might look like in 2050.", (), False, ("aigc",)),
    ("This portrait was made with an image model — declared as AI per the platform rules.", ("media/aigc_labelled.png",), True, ("aigc",)),
    ("朋友用工具做的头像，标签好像写错了。", ("media/aigc_label_defect.png",), False, ("aigc",)),
    ("周末去爬山拍的照片，空气特别好。", ("media/photo_hike.jpg",), False, ()),
    ("楼下新开的面馆，牛肉面18块一碗，分量很足。", ("media/photo_food.jpg",), False, ()),
    ("我家汤圆今天又在键盘上睡着了。", ("media/photo_cat.jpg",), False, ()),
)

#: Old media re-posted as new (seed 004 (1): "gathering old news to reheat it"). The first post is old.
RECYCLED_FIRST = ("{city}暴雨，{district}街道积水严重，出行注意安全。（来源：{city}发布）", "media/flood_2023.jpg")
RECYCLED_REPOSTS: tuple[str, ...] = (
    "刚刚！{city}暴雨，街道变成了河，现场太吓人了！",
    "Just now in {city_en}: streets turned into rivers after the storm. Stay safe!",
)

#: Copy-paste campaign: the same text from many matrix accounts within minutes (seed 004 (1)3).
COPYPASTA = "{city}这家酸菜鱼绝了！人均50吃到撑，老板人超好，强烈推荐给大家！地址在万达广场三楼"
COPYPASTA_DECORATIONS = ("", "！", "～", " 👍", "！！", " 冲", "。", " 🔥")

#: A burst on one topic (seed 004 (1)3 "linked publication by multiple accounts"): new accounts push a property
#: development under one hashtag within minutes, each wording it differently.
BURST_TAG = "#{city}湖畔壹号#"
BURST_ACCOUNTS = ("安家小能手", "楼市观察员", "买房不踩坑", "城市置业顾问", "爱家的小林", "房产快讯君",
                  "置业小助手", "湖景生活家", "刚需买房记", "新房探盘侠")
BURST_TEXTS: tuple[str, ...] = (
    "{tag} 刚去看了样板间，得房率真高，户型太合理了",
    "{tag} 地铁口五百米，学区也好，这价格闭眼入",
    "{tag} 开盘当天就排了两百多人，再不买就没了",
    "{tag} 周边配套齐全，商场医院都有，升值空间大",
    "{tag} 朋友上周刚定了一套，说物业服务一流",
    "{tag} 首付只要三成，月供比房租还低",
    "{tag} 精装交付，拎包入住，年轻人首选",
    "{tag} 开发商实力强，不会烂尾，放心买",
    "{tag} 湖景房最后几套了，想要的抓紧",
    "{tag} 今天又涨了两百一平，早买早享受",
)

#: Ordinary posts: many are near-misses for the diversion and lexicon detectors.
BENIGN: tuple[str, ...] = (
    "今天在超市买了两斤车厘子，¥138.00，有点贵但是真的甜。",
    "订单号 {order} 已经三天没发货了，有人遇到一样的情况吗？",
    "新买的 iPhone 15 Pro 256G，用了一个月电池健康还是100%。",
    "显卡升级到 RTX4090 了，黑神话悟空全高画质稳定 90 帧。",
    "公司下个月开始落实 GB 45438-2025 的标识要求，产品组都在加班。",
    "2025-07-24 13:00 在{city}体育中心门口集合，别迟到。",
    "国足 2:1 逆转取胜，看得我热泪盈眶。",
    "版本 v2.3.1 修复了闪退问题，大家记得更新。",
    "来{city}的第 8 年，房租从 1380 元涨到了 2600 元。",
    "我家门牌号是 1301，快递小哥别再送错到 1310 了。",
    "今天跑了 13.8 公里，平均配速 5'30''，膝盖有点疼。",
    "双十一预售定金 50 抵 150，尾款 11 月 11 日 20:00 开始付。",
    "{city}到上海的高铁 G1380 次，二等座 356 元，四个半小时。",
    "这本书第 138 页那段话写得太好了，抄在本子上。",
    "血压 138/88，医生说要少吃盐多运动。",
    "今年的年终奖发了 3.5 个月，比去年多一点。",
    "打卡{city}博物馆，门票免费，需要提前一天在官方小程序预约。",
    "欢迎来我的直播间，今晚八点教大家做红烧肉。",
    "关注我，每天更新一道家常菜的做法。",
    "北京烤鸭店今天的鸭子卖完了，明天请早，十一点开门。",
    "人民公园跑步团本周六照常活动，天气预报说不下雨。",
    "湖南人在深圳，最想念的还是妈妈做的剁椒鱼头。",
    "学校通知 9 月 1 日开学，8 月 30 日返校报到。",
    "咖啡机坏了，型号 DeLonghi EC685，有人知道哪里能修吗？",
    "小区停车费从每月 300 涨到 350，物业说是因为通胀。",
    "新手机号码换了，老朋友们在平台私信里跟我说一声就好。",
    "健身第 100 天，体重从 75kg 降到 68kg。",
    "报名了{city}马拉松半程，目标 1 小时 50 分以内。",
    "我们班 45 个人，38 个考上了本科，老师说是历年最好。",
    "雅思考了 7.5，口语 6.5 拖了后腿。",
    "二手 Switch 出了，800 元，平台内交易，不议价。",
    "今天的汇率 1 美元兑 7.18 人民币。",
    "Python 3.12 的报错信息比 3.8 友好太多了。",
    "Node.js 和 Go 写后端哪个更适合新手？",
    "文件名 report_2025Q2.pdf 打不开，是不是损坏了？",
    "今天温度 38 度，体感 42 度，空调开到 26 度刚刚好。",
    "外卖小哥送错了，把我的 13 号订单送到了 31 号桌。",
    "猫粮 7.5kg 装 268 元，能吃两个月。",
    "老周今天钓了三条鲫鱼，最大一条 1.2 斤。",
    "Paid $12.99 for a sandwich in Manhattan. Inflation is real.",
    "My flight CA1380 lands at 13:00 — see you at arrivals.",
    "Order #{order} still hasn't shipped. Anyone else waiting?",
    "The new Galaxy S24 camera is surprisingly good in low light.",
    "Ran 21.1 km this morning in 1:49:30. New half-marathon PB!",
    "Room 1301 has the best view in the whole hotel.",
    "Learning Chinese: today I finally understood the difference between 的, 地 and 得.",
    "Our team won 3-1 last night. What a comeback.",
    "Week 12 of sourdough: the crumb is finally open.",
    "Python tip: use pathlib instead of os.path, your future self will thank you.",
    "The train from Shanghai to {city_en} takes about 5 hours and costs around 450 RMB.",
    "Visited {city_en} Museum today; entry was free with a passport.",
    "Finished the assessment for my class — 92/100!",
    "Our cat knocked a glass off the table at 3 a.m. again.",
    "Bought a used ThinkPad X1 Carbon Gen 9 for $480. Runs Linux perfectly.",
    "Switched my phone plan to 5G, speeds went from 40 to 400 Mbps.",
    "厦门鼓浪屿的日落，太美了，下次还来。",
    "今天在昆明斗南花市买了一大束玫瑰，才 25 块。",
    "济南的泉水今年又喷涌了，趵突泉人山人海。",
    "南京梧桐大道的叶子开始黄了，周末去拍照吧。",
    "郑州胡辣汤配油条，早上的快乐就这么简单。",
    "武汉热干面 6 块一碗，加个蛋 7 块。",
    "重庆李子坝轻轨穿楼，排了半小时才拍到。",
    "青岛啤酒节 8 月开幕，门票 30 元。",
    "深圳硬件圈的朋友，这块板子 STM32F103C8T6 有推荐的替代型号吗？",
    "合肥的新能源车工厂越来越多了，招聘信息也多。",
    "今天在新华书店待了一下午，买了三本书。",
    "中国好声音这季的导师阵容还不错。",
    "西安的肉夹馍还是老城区的好吃，15 块一个。",
    "长沙五一广场的茶颜悦色又排长队了。",
    "成都的火锅，微辣就已经很辣了。",
    "杭州西湖边骑行一圈大概 15 公里，早上人少。",
)

#: Numbers that are not contacts: each template is used twice with fresh values (diversion near-misses).
NUMBER_NEAR_MISSES: tuple[str, ...] = (
    "这件外套原价 {price2} 元，今天打完折才 {price3} 元，冲了。",
    "快递单号 SF{tracking} 显示已签收，可我根本没收到。",
    "{date} {time} 的例会改到下午三点了，大家相互通知一下。",
    "{year} 年的老小区，终于要加装电梯了。",
    "本月电费 {price3}.50 元，比上个月多了 {pct}%。",
    "比分 {score}，加时赛绝杀，今晚睡不着了！",
    "小米 14 Ultra 和 vivo X100 Pro 怎么选？预算 {price2} 左右。",
    "车牌 浙A·{plate} 的车主麻烦挪一下车，堵住消防通道了。",
    "房间号 {room}，Wi-Fi 密码贴在门后面。",
    "工号 {emp} 的同事请到三楼领新工牌。",
    "尾号 {four} 的银行卡收到一笔 {price3} 元退款，原来是上次的运费险。",
    "第 {n} 次尝试做舒芙蕾，终于没塌！",
    "今年的体检报告出来了，空腹血糖 {glucose}，医生说正常。",
    "{year} 年毕业，工作第 {n} 年，工资还没到 {price2}。",
    "Tracking number 1Z{tracking} says delivered, but there's nothing at my door.",
    "Meeting moved to {date} at {time}, same room.",
    "Rent went up {pct}% this year. Time to move?",
    "Invoice INV-{order} was paid on {date}, please check again.",
    "Final score {score}. What a game!",
    "Room {room} on the 3rd floor, see you there at {time}.",
    "My grandmother was born in {year} and still walks {n} km every day.",
    "Bought {n} kg of apples for {price3} yuan at the market.",
)

#: Reports by users and a trusted flagger: (reason, text, which kind of post it targets).
REPORTS: tuple[tuple[str, str, str], ...] = (
    ("diversion", "这个帖子在引导私下加微信交易，疑似诈骗。", "contact"),
    ("diversion", "评论区到处是这种加联系方式的，麻烦处理一下。", "contact"),
    ("spam", "Spam account posting links to a gambling site.", "link"),
    ("false_information", "这条是谣言，已经辟谣过了还在传。", "debunked"),
    ("false_information", "没有任何来源的突发新闻，可能是编的。", "source"),
    ("impersonation", "这个号冒充疾控中心发布消息。", "impersonator"),
    ("impersonation", "This account pretends to be Xinhua.", "impersonator"),
    ("ai_unlabelled", "图片明显是AI生成的，没有标注。", "aigc"),
    ("illegal_content", "公开售卖发票，违法。", "lexicon"),
    ("unqualified_advice", "不是医生却教人停药，很危险。", "advice"),
    ("other", "我就是不喜欢这个帖子。", "benign"),
    ("spam", "一模一样的文案被好多账号同时发，是水军。", "copypasta"),
)
