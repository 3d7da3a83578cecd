"""Word lists about how Chinese names of actors are built: suffixes, titles, surnames, stop words.

These are facts of the language and the genre, shared by the entity rules, name resolution and the
relation rules; none of them names an actor.
"""

import re

# legal-form and institution suffixes that end an organisation's name, longest first
ORG_SUFFIXES = (
    "集团股份有限公司", "集团有限公司", "股份有限公司", "有限责任公司", "有限公司", "分公司", "子公司",
    "股份公司", "集团", "公司", "大学", "学院", "医院", "保健院", "卫生院", "研究院", "研究所", "科学院",
    "实验室", "银行", "委员会", "管委会", "管理委员会", "人民政府", "政府", "办公室", "数据局", "发改委",
    "工信局", "工信厅", "大数据局", "协会", "联盟", "商会", "电视台", "日报社", "报社", "出版社", "事务所",
    # government departments the genre quotes (广州市科信局, 金山区委宣传部); 局 alone would take in 布局, 格局
    "管理局", "服务局", "统计局", "科技局", "科信局", "经信局", "商务局", "发改局", "财政局", "科技厅", "经信委",
    "网信办", "宣传部",
    # funds are organisations by the guidelines (昆山市人工智能产业基金, 北京大学教育基金会)
    "基金会", "母基金", "产业基金", "引导基金", "投资基金",
)
# endings of the short names companies go by (燧原科技, 杉杉股份, 海光信息): only with a short,
# distinctive name part, or they would swallow ordinary phrases
ORG_SHORT_SUFFIXES = ("科技", "股份", "控股", "证券", "信息", "电子", "数据", "智能", "云")
# the part of an organisation's name that says what it is, stripped to get the short name people use
LEGAL_FORMS = (
    "集团股份有限公司", "集团有限公司", "股份有限公司", "有限责任公司", "有限公司", "股份公司", "公司",
)
INDUSTRY_WORDS = (
    "智能科技", "信息技术", "信息科技", "网络科技", "数据科技", "电子科技", "科技", "技术", "信息", "网络",
    "数据", "电子", "智能", "通信", "软件", "控股", "实业", "发展", "投资",
)
PROJECT_SUFFIXES = (
    "大数据产业园", "数字产业园", "产业园区", "产业园", "科技园", "软件园", "数据港", "数据谷", "云谷",
    "智算中心", "算力中心", "超算中心", "计算中心", "云计算中心", "大数据中心", "数据中心", "创新中心",
    "枢纽节点", "算力枢纽", "数据中心集群", "算力集群", "智算集群", "集群", "产业基地", "基地",
    "云平台", "服务平台", "算力平台", "平台", "示范区", "政务云", "政府云",
)
# generic words: a project or organisation "name" made only of these is no name
GENERIC = frozenset(
    "国产 大规模 本地化 新型 智能 绿色 数据 大 新 本 全国 一体化 算力 智算 超大型 大型 中型 小型 首个 首座 "
    "一个 多个 两个 这个 该 各类 各 多 高 低 国家 区域 城市 全省 全市 省级 市级 公共 自主 自有 相关 上述 "
    "整体 全资 控股 参股 下属 旗下 一家 多家 服务 校园 一站式 综合 统一 专业 重点 重要 主要 这些 其他 "
    "大模型 模型 人工智能 AI 算力 云 数字 智慧 能源 信息 科技 技术 产业 行业 企业 头部 龙头 "
    "运营商 三大 合资 项目 工程 大数据 云计算 信创 现有 新建 西算 东数 集群 算力网络 "
    # what kind of facility it is, not which one: 灾备数据中心, 万卡级国产算力集群, 全国产化智算中心
    "零碳 低碳 绿色低碳 灾备 备份 模块化 预制 液冷 万卡 千卡 百卡 万卡级 千卡级 国产化 全国产化 研发 研学 "
    "超级 重大 区域级 国家级 特高等级 高性能 先进 边缘 新一代 超大规模 示范 标杆 战略 核心 互联网".split()
)
# Latin abbreviations of categories, not names of products
GENERIC_LATIN = frozenset("AI AIGC GPU CPU NPU DCU TPU FPGA ASIC IDC AIDC IT ICT 5G 6G PC APP SAAS PAAS IAAS LLM AGI IOT".split())
# tokens that cannot be inside a name: function words and frequent verbs of the genre
STOP = frozenset(
    "的 了 在 与 和 及 以及 同 跟 向 对 为 是 由 被 把 将 从 于 等 并 也 已 还 又 就 都 其 该 这 那 此 每 "
    "我们 他们 你们 我 他 她 它 我司 本公司 之 而 或 及其 如 即 至 到 让 使 给 所 有 这里 目前 近日 日前 今年 "
    "去年 明年 此外 同时 其中 包括 比如 例如 作为 通过 依托 围绕 根据 按照 关于 针对 基于 随着 以 据 "
    "采购 供应 中标 投资 落地 部署 建设 签约 签署 签订 成立 设立 合作 联合 携手 推出 发布 表示 介绍 说 "
    "指出 引进 引入 入驻 承建 建成 开工 启动 打造 提供 获得 成为 位于 参与 组织 举行 召开 宣布 完成 实现 "
    "推动 加快 积极 持续 助力 支持 服务 接入 结合 依靠 利用 使用 上架 搭建 协助 赋能 达成 吸引 带动 "
    "总投资 投资额 约 共 计 超 超过 近 逾 达 达到 首批 首家 首个 正式 全面 进一步 成功 率先 相继 陆续 "
    "分别 共同 先后 已经 正在 将会 也是 就是 不仅 更 最 很 非常 一 一批 "
    # role nouns stand before a name, never inside it: 股东深圳市…有限公司
    "子公司 全资子公司 控股子公司 孙公司 参股公司 合资公司 项目公司 股东 控股股东 企业 客户 厂商 单位 "
    "伙伴 供应商 运营商 关联方 投资方 中标人 承建方 甲方 乙方 就读 毕业 就读于 毕业于 来自 "
    # roles of a bid notice, and 人为 as pkuseg cuts 招标人为X
    "招标人 采购人 招标方 采购方 业主 人为 旗下 下属 "
    # a verb or a project word before a facility's name is not part of it: 落户X产业园, 项目X数据中心
    "项目 落户 布局 选址 新建 现有 暨".split()
)
# verbs of the genre that stand right before a name (建设和运营腾讯…中心, 莅临…产业园, 培育海尔卡奥斯)
# but, unlike STOP, may sit inside one (智慧运营中心, 大数据发展管理局): a name never starts with them
LEADING_VERBS = frozenset(
    "运营 投用 发力 深化 培育 参观 力压 抢抓 辐射 莅临 相对于 瓜分 主营 丰富 拟建 在建 共建 投建 运维 "
    "牵头 考察 走进 调研 看望 聚焦 推进 打通 助推 壮大 引领 对接 落子 争创 申报 加入 竞得 拿下 收购 并购 "
    "入股 参股 承接 扶持 培养 孵化 集聚 汇聚 形成 构建 建立 覆盖 连接 联手 牵手 携 助 促进 推广 应用 "
    "开通 上线 开放 投产 投运 揭牌 授牌 挂牌 亮相 展示 发起 主导 主办 承办 举办 依靠 对标 服务于 建成投用 助力 "
    "建成运营".split()
)
TITLES = (
    "董事长", "副董事长", "总经理", "副总经理", "总裁", "副总裁", "首席执行官", "CEO", "首席技术官", "CTO",
    "经理", "主任", "副主任", "局长", "副局长", "书记", "副书记", "党委书记", "市长", "副市长", "省长",
    "副省长", "区长", "副区长", "县长", "副县长", "院长", "副院长", "所长", "校长", "副校长", "教授",
    "研究员", "工程师", "总工程师", "总监", "创始人", "联合创始人", "负责人", "董事", "部长", "副部长",
    "处长", "科长", "主席", "副主席", "秘书长", "记者", "通讯员", "院士", "专家", "总裁助理", "合伙人",
)
SPEECH_VERBS = ("表示", "介绍", "说", "指出", "称", "认为", "坦言", "透露", "提到", "强调", "告诉记者")
SURNAMES = frozenset(
    "王 李 张 刘 陈 杨 黄 赵 吴 周 徐 孙 马 朱 胡 郭 何 高 林 罗 郑 梁 谢 宋 唐 许 韩 冯 邓 曹 彭 曾 肖 田 "
    "董 袁 潘 于 蒋 蔡 余 杜 叶 程 苏 魏 吕 丁 任 沈 姚 卢 姜 崔 钟 谭 陆 汪 范 金 石 廖 贾 夏 韦 付 方 白 "
    "邹 孟 熊 秦 邱 江 尹 薛 闫 段 雷 侯 龙 史 陶 黎 贺 顾 毛 郝 龚 邵 万 钱 严 覃 武 戴 莫 孔 向 汤 常 温 "
    "康 施 文 牛 樊 葛 邢 安 齐 易 乔 伍 庞 颜 倪 庄 聂 章 鲁 岳 翟 殷 詹 申 欧 耿 关 兰 焦 俞 左 柳 甘 祝 "
    "包 宁 尚 符 舒 阮 柯 纪 梅 童 凌 毕 单 季 裴 霍 涂 成 苗 谷 盛 曲 翁 冉 骆 蓝 路 游 辛 靳 管 柴 蒙 鲍 "
    "华 喻 祁 蒲 房 滕 屈 饶 解 牟 艾 尤 阳 时 穆 农 司 卓 古 吉 缪 简 车 项 连 芦 麦 褚 娄 窦 戚 岑 景 党 "
    "宫 费 卜 冷 晏 席 卫 米 柏 宗 瞿 桂 全 佟 应 臧 闵 苟 邬 边 卞 姬 师 和 仇 栾 隋 商 刁 沙 荣 巫 寇 桑 "
    "郎 甄 丛 仲 虞 敖 巩 明 佘 池 查 麻 苑 迟 邝 习 冀 鲜 朴 闻 妥 仝 班 巴 晋 扈 鄢 訾 亓 逯 楚 索 都 "
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 令狐".split()
)
# words that follow a list of names and say what the listed things are
LIST_HEADS = {
    "企业": "ORG", "公司": "ORG", "厂商": "ORG", "机构": "ORG", "单位": "ORG", "高校": "ORG", "医院": "ORG",
    "银行": "ORG", "运营商": "ORG", "头部企业": "ORG", "科技企业": "ORG", "龙头企业": "ORG",
    "城市": "LOC", "地区": "LOC", "省份": "LOC", "地市": "LOC",
    "大模型": "PRODUCT", "模型": "PRODUCT", "芯片": "PRODUCT",
    "项目": "PROJECT", "数据中心": "PROJECT", "园区": "PROJECT", "平台": "PROJECT",
}
# nouns that, next to a quoted name, make that name a project, programme or platform
PROJECT_CUE_NOUNS = (
    "平台", "行动", "工程", "计划", "项目", "品牌", "系统", "算力集群", "集群", "工程", "战略", "专项",
    "中心", "园区", "产业园", "小程序", "助手", "智能体", "云", "大赛", "论坛", "大会",
)

CJK = r"\u3400-\u9fff\uf900-\ufaff"
LATIN_NAME = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[-.·][A-Za-z0-9]+)*")
NUMBERISH = re.compile(r"^[\d.,，%]+[年月日号时个家台架卡亿万元千百多余]*$")
OPEN_BRACKETS = "(（["
CLOSE_BRACKETS = ")）]"
