//! What residents say: scenarios (kind × category × templates) written for this demo,
//! openers by channel, closings by kind. Colloquial on purpose — this is how people
//! write to a police hotline, not how an official report reads.

use police_square_domain::{AppealKind as K, Channel};

use crate::departments::Dept;

/// Which unit an appeal goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// The police station of the place.
    Station,
    /// The district's traffic team.
    Traffic,
    /// A complaint about officers: the district's public-relations office, with the
    /// station as subject unit (hidden from it).
    Conduct,
    /// The city's public-relations office (suggestions to the director's mailbox).
    City,
}

#[derive(Debug, Clone, Copy)]
pub struct Scenario {
    pub kind: K,
    pub category: &'static str,
    pub weight: u32,
    pub target: Target,
    /// External department for non-police matters (handed off, 转交).
    pub dept: Option<Dept>,
    /// Ongoing danger: urgency emergency.
    pub emergency: bool,
    /// Needs several units or an investigation: urgency complex (sometimes).
    pub complex: bool,
    /// Short topic used in replies: 您反映的“{topic}”问题.
    pub topic: &'static str,
    pub bodies: &'static [&'static str],
}

const S: Scenario = Scenario {
    kind: K::Complaint,
    category: "other",
    weight: 10,
    target: Target::Station,
    dept: None,
    emergency: false,
    complex: false,
    topic: "",
    bodies: &[],
};

pub static SCENARIOS: &[Scenario] = &[
    // ── 投诉 complaints ─────────────────────────────────────────────────
    Scenario {
        category: "public_order",
        weight: 30,
        topic: "广场舞噪音",
        bodies: &[
            "{spot}每天晚上跳广场舞，音响开得特别响，一直跳到{night}，[家里老人心脏不好|孩子要中考了|我上夜班白天要睡觉]，根本睡不着。",
            "{estate}门口的空地上[每天|天天]有人跳广场舞，喇叭声音[震得窗户都在响|隔着两条街都听得到]，跟她们说了也没用，[还骂人|反而放得更响]。",
            "[又是|还是]广场舞的问题，{spot}那边晚上[七点|六点半]开始放音乐，[到|一直到]{night}都不停，[我们|整栋楼的人都]快崩溃了。",
        ],
        ..S
    },
    Scenario {
        category: "public_order",
        weight: 22,
        topic: "夜间噪音扰民",
        bodies: &[
            "{road}上的烧烤摊每天晚上到{night}还在[划拳喝酒|大声喧哗]，[楼上住户|我们整个单元]都没法睡觉。",
            "{estate}楼下有家KTV，每天半夜[唱歌|放音乐]声音很大，[打过好几次电话|跟老板说过]都没改。",
            "{spot}附近有人半夜[开改装摩托车炸街|飙车]，轰轰的声音[把孩子都吓醒了|吵得人心慌]，[几乎每天都有|周末特别严重]。",
            "{estate}[楼上|隔壁]装修，[早上七点不到|中午|晚上九点多]就开始电钻，[跟物业说了也不管|已经持续一个多月了]。",
        ],
        ..S
    },
    Scenario {
        category: "traffic",
        weight: 20,
        target: Target::Traffic,
        topic: "乱停车堵路",
        bodies: &[
            "{road}这边[每天|一到晚上]都有车乱停在路边，[双向两车道只剩一条|公交车都开不过去]，[早高峰堵得一塌糊涂|救护车进不来怎么办]。",
            "{spot}门口[违停的车太多了|大货车天天占道]，[电瓶车只能骑到机动车道上|行人都没地方走]，很危险。",
            "{road}[学校门口|医院门口]接送的车[乱停乱放|随便掉头]，[交警|有关部门]能不能管一管？",
        ],
        ..S
    },
    Scenario {
        category: "traffic",
        weight: 10,
        target: Target::Traffic,
        topic: "渣土车超速",
        bodies: &[
            "{road}上的渣土车开得[飞快|像赛车一样]，[还闯红灯|泥土撒了一路]，[我家孩子每天骑车上学|上次差点撞到老人]，太吓人了。",
            "晚上{night}以后{road}有很多大货车[超速|超载]，路面都压坏了，[灰尘很大|声音很吵]。",
        ],
        ..S
    },
    Scenario {
        category: "conduct",
        weight: 14,
        target: Target::Conduct,
        topic: "民警服务态度",
        complex: true,
        bodies: &[
            "我{when}去{unit}办事，窗口的民警[态度很差|爱理不理]，[问了两句就不耐烦|一直在玩手机]，[让我明天再来|说不归他们管]，[希望你们管管|这种服务态度要改]。",
            "{when}我报警说{bike}被偷了，{unit}的民警[过了一个多小时才来|来了看一眼就走了]，[到现在也没人联系我|问进展就说在查]，太不负责任了。",
            "{unit}的民警处理[我们的纠纷|交通事故]的时候[明显偏袒对方|说话很冲]，[我说话都不让我说完|还威胁我]，要求重新处理。",
            "我[打电话|去所里]问[户口迁移|开证明]的事，{unit}[让我来回跑了三趟|每次说的材料都不一样]，[能不能一次性告知|太折腾人了]。",
        ],
        ..S
    },
    Scenario {
        category: "non_police",
        weight: 18,
        dept: Some(Dept::Construction),
        topic: "路灯损坏",
        bodies: &[
            "{road}[从{spot}到{estate}这一段|靠近{estate}那段]的路灯坏了[快一个月了|好几盏]，晚上黑乎乎的，[女孩子下班都不敢走|老人摔过好几次]。",
            "{estate}里面的路灯[一直不亮|时亮时不亮]，[找物业说是市政的事|打了几个电话都在推]，晚上出门很不安全。",
        ],
        ..S
    },
    Scenario {
        category: "non_police",
        weight: 16,
        dept: Some(Dept::Enforcement),
        topic: "垃圾和占道经营",
        bodies: &[
            "{spot}[旁边|门口]的垃圾[好几天没人清运|堆成了小山]，[臭得不得了|苍蝇蚊子很多]，[天热了更严重|路过都要捂着鼻子]。",
            "{road}上[卖水果的|早餐摊|夜市摊贩]占道经营，[人行道全被占了|油烟很大]，[走路只能走到马路上|城管来了就跑，走了又回来]。",
            "{estate}附近有人[乱倒建筑垃圾|偷偷倒垃圾]，[晚上拉过来|一车一车的]，希望有人管管。",
        ],
        ..S
    },
    Scenario {
        category: "fire",
        weight: 10,
        topic: "电动车楼道充电",
        bodies: &[
            "{estate}[好几户|有几户]人家把电瓶车推进楼道[充电|过夜]，[电线从窗户拉下来|插线板就放在地上]，[万一起火整栋楼都完了|新闻里看到太多了]。",
            "{estate}的消防通道[被车堵死了|堆满了杂物]，[跟物业反映了没用|消防车根本进不来]，很担心出事。",
        ],
        ..S
    },
    Scenario {
        category: "dispute",
        weight: 8,
        topic: "邻里纠纷",
        bodies: &[
            "{estate}楼上邻居家[漏水漏到我家|空调外机对着我家窗户]，[找了好几次都不理|还说是我家的问题]，[天花板都发霉了|实在没办法了]。",
            "隔壁[在公共走廊堆杂物|养的狗天天叫|把楼道占了放鞋柜]，我说了两句[就跟我吵起来|他就骂人]，想请民警来调解一下。",
        ],
        ..S
    },
    Scenario {
        category: "household",
        weight: 6,
        topic: "户籍业务办理",
        bodies: &[
            "{when}去{unit}办[新生儿落户|户口迁移|身份证换领]，[排了两个小时队|说系统坏了]，[最后也没办成|请假白跑一趟]，能不能[增加窗口|提前通知]？",
        ],
        ..S
    },
    Scenario {
        category: "vehicle_admin",
        weight: 6,
        target: Target::Traffic,
        topic: "车驾管业务",
        bodies: &[
            "[电动车上牌|驾驶证换证|车辆年检]的地方[人太多了|只开了一个窗口]，[早上八点去排到中午|网上预约一直约不到]，希望改进。",
        ],
        ..S
    },
    Scenario {
        category: "theft",
        weight: 6,
        topic: "报案后无进展",
        bodies: &[
            "我{when}在{spot}丢了[电瓶车|手机|钱包]，当时就报案了，[到现在一个月了|过去好久了]也没有任何消息，[打电话问也说不清楚|是不是就不管了]？",
        ],
        ..S
    },
    Scenario {
        category: "other",
        weight: 6,
        target: Target::City,
        topic: "96110热线",
        bodies: &[
            "[96110|你们的电话]打了[好几次|一上午]都[占线|没人接]，[有急事找不到人|后来只能跑过去]，希望增加人手。",
            "[网上提交的|上次反映的]问题[一直显示待受理|过了时限也没回复]，[你们到底有没有人看|请给个答复]。",
        ],
        ..S
    },
    // ── 举报 reports ───────────────────────────────────────────────────
    Scenario {
        kind: K::Report,
        category: "public_order",
        weight: 22,
        complex: true,
        topic: "聚众赌博",
        bodies: &[
            "{estate}[有一间|一楼那间]棋牌室[每天晚上|通宵]有人[聚众赌博|打大麻将]，[进出的人很多|还有人放高利贷]，[我家里人在里面输了不少钱|搞得邻居不得安宁]。",
            "{spot}附近[一个出租房|一家茶室]里有人赌钱，[赌得很大|一晚上输赢好几万]，[有人在门口望风|车停了一排]。",
        ],
        ..S
    },
    Scenario {
        kind: K::Report,
        category: "traffic",
        weight: 16,
        target: Target::Traffic,
        topic: "酒驾",
        bodies: &[
            "{road}[那家饭店|那几家大排档]门口，[每天晚上|周末]都有人[喝完酒自己开车走|喝得醉醺醺还开车]，[希望晚上来查一查|太危险了]。",
            "[我们村|{estate}]有个人[经常酒后开车|喝了酒还开三轮车]，[大家都知道|已经撞过人了]，[请交警管一管|我不方便说名字]。",
        ],
        ..S
    },
    Scenario {
        kind: K::Report,
        category: "fraud",
        weight: 16,
        complex: true,
        topic: "疑似诈骗窝点",
        bodies: &[
            "{estate}[有一套房子|一间出租屋]里住了[好多年轻人|七八个外地人]，[白天不出门|窗户都用黑布遮着]，[经常听到在打电话推销理财|好像在搞网络诈骗]，请警方核实一下。",
            "我收到一个[刷单返利|冒充快递理赔|低息贷款]的[电话|短信]，对方[让我下载一个APP|让我先交保证金]，[我没上当|号码我记下来了]，举报一下别人别再被骗。",
        ],
        ..S
    },
    Scenario {
        kind: K::Report,
        category: "cyber",
        weight: 14,
        topic: "网络谣言",
        bodies: &[
            "{app}[群里|上]有人[造谣|乱传]说{spot}[发生了命案|有人贩子抢小孩|要拆迁了]，[好多人在转|搞得人心惶惶]，请核实辟谣。",
            "[网上|短视频平台上]有个账号[一直在发|编造]{area}的[假警情|谣言视频]，[说得有鼻子有眼|评论里都信了]，希望查处。",
            "[有人|一个网友]在{app}上[冒充我|盗用我的照片]到处借钱，[朋友都被骗了|我报过案了]，请求处理。",
        ],
        ..S
    },
    Scenario {
        kind: K::Report,
        category: "fire",
        weight: 8,
        topic: "消防安全隐患",
        bodies: &[
            "{spot}[附近|后面]有个[小作坊|仓库]里[堆了很多液化气罐|住人又放货]，[电线乱拉|晚上还在生产]，[三合一场所|很容易出事]，请检查。",
            "{estate}[地下车库|楼道]里有人[改装电瓶私自充电|囤了很多汽油]，[气味很大|很吓人]。",
        ],
        ..S
    },
    Scenario {
        kind: K::Report,
        category: "theft",
        weight: 8,
        topic: "收购赃物",
        bodies: &[
            "{road}[一家废品站|一个修车铺]在[低价收二手电瓶车|收电瓶]，[车都没有发票|有的锁还是撬过的]，怀疑是收赃的。",
        ],
        ..S
    },
    Scenario {
        kind: K::Report,
        category: "public_order",
        weight: 6,
        topic: "违法经营场所",
        bodies: &[
            "{road}[那家足浴店|那家按摩店]晚上[很晚还开着|进进出出的人很杂]，[门口有人拉客|感觉不正规]，[小区里有孩子|影响很坏]。",
        ],
        ..S
    },
    Scenario {
        kind: K::Report,
        category: "non_police",
        weight: 8,
        dept: Some(Dept::Environment),
        topic: "偷排污水",
        bodies: &[
            "{estate}旁边的[厂|小作坊]晚上偷偷往河里排污水，[河水都变颜色了|鱼都死了]，[味道很冲|白天不排晚上排]。",
        ],
        ..S
    },
    Scenario {
        kind: K::Report,
        category: "non_police",
        weight: 6,
        dept: Some(Dept::Market),
        topic: "食品安全和价格",
        bodies: &[
            "{spot}[一家小吃店|一家熟食摊]卫生很差，[吃了拉肚子|后厨老鼠乱跑]，[还有人卖过期食品|价格也乱标]。",
        ],
        ..S
    },
    Scenario {
        kind: K::Report,
        category: "other",
        weight: 6,
        complex: true,
        topic: "传销",
        bodies: &[
            "{estate}有人在[搞传销|开什么养生讲座]，[骗老人买保健品|一盒卖好几千]，[我妈已经买了{money}的东西|天天有大巴车接老人过去]。",
        ],
        ..S
    },
    // ── 求助 help ──────────────────────────────────────────────────────
    Scenario {
        kind: K::Help,
        category: "theft",
        weight: 30,
        topic: "电瓶车被盗",
        bodies: &[
            "我的{bike}{when}停在{place}，[出来就不见了|第二天早上一看没了]，[锁是锁好的|钥匙还在我身上]，[买了才半年|是上班唯一的交通工具]，麻烦帮忙找一找。",
            "{when}在{spot}[买菜|接孩子]的功夫，停在门口的{bike}就被人骑走了，[旁边店里应该有监控|前后不到十分钟]，请民警帮忙查一下。",
            "[我们|{estate}]这边最近电瓶车[老是丢|丢了好几辆]，[我家的|我的]{bike}{when}也被偷了，[电瓶也被拆走了|价值{money}]。",
        ],
        ..S
    },
    Scenario {
        kind: K::Help,
        category: "theft",
        weight: 10,
        topic: "财物被盗",
        bodies: &[
            "{when}我在{spot}[手机被偷了|包被划了|钱包被偷了]，[里面有身份证和银行卡|是刚买的手机|里面有{money}现金]，[人多没注意|挤公交的时候|买东西付钱的时候]，求帮忙。",
            "{estate}[我家|我们家楼下的车库]{when}[被人撬了|进了小偷]，[丢了金项链和现金|少了{money}现金|车里的东西被翻了]，请民警来看看。",
        ],
        ..S
    },
    Scenario {
        kind: K::Help,
        category: "fraud",
        weight: 22,
        complex: true,
        topic: "电信网络诈骗",
        bodies: &[
            "我在{app}上[看到兼职刷单|被拉进一个刷单群]，[前面几单都返钱了|一开始给了小额佣金]，后来[让我做联单|说要解冻要交钱]，一共被骗了{money}，[现在人联系不上了|我该怎么办]。",
            "有人打电话[说是淘宝客服|冒充快递员]说我的[快递丢了要理赔|会员要扣费]，让我[开屏幕共享|下载APP]，[卡里的{money}全被转走了|被骗了{money}]。",
            "在{app}上认识一个人，[聊了两个月|天天嘘寒问暖]，[带我在一个平台投资|说有内部渠道]，[刚开始赚了点|后来提不出来]，总共投了{money}，[是不是杀猪盘|我很害怕]。",
            "[我家老人|我爸]接到[冒充公检法的电话|说是医保卡异常的电话]，[已经去银行转了{money}|现在还在跟对方通话]，请求帮助！",
        ],
        ..S
    },
    Scenario {
        kind: K::Help,
        category: "missing_person",
        weight: 10,
        topic: "走失老人",
        bodies: &[
            "我家老人{age}，[有点老年痴呆|记性不好]，{when}[从{estate}出门|在{spot}附近]后就没回来，[穿灰色外套|穿蓝色衣服、戴帽子]，[手机没带|不认识路]，请帮忙找一找。",
            "[我家孩子|我儿子]今年[十四|十五|十三]岁，{when}[放学后|跟同学出去]一直没回家，[电话关机|同学也不知道去哪了]，家里人都急坏了。",
        ],
        ..S
    },
    Scenario {
        kind: K::Help,
        category: "dispute",
        weight: 14,
        topic: "纠纷调解",
        bodies: &[
            "我在{spot}[干了三个月|打工]，老板[拖欠工资{money}|一直不给结工资]，[找了好几次都躲着|还叫人威胁我]，请求帮助。",
            "[房东|二房东]{when}[突然不让我住了|把门锁换了]，[押金{money}不退|东西还在里面]，[我们讲不通|想请民警来调解一下]。",
            "{estate}[因为停车位|因为装修|因为狗咬人的事]和邻居[吵起来了|差点动手]，[对方人多|物业也不管]，希望派出所出面调解。",
            "[在{spot}|{when}]和人发生了[剐蹭|口角]，[对方不肯赔|对方叫了好几个人过来]，请民警帮忙处理。",
        ],
        ..S
    },
    Scenario {
        kind: K::Help,
        category: "household",
        weight: 8,
        topic: "证件补办",
        bodies: &[
            "我的身份证{when}在{spot}丢了，[下周要坐高铁出差|马上要办贷款]，[能不能加急补办|临时身份证怎么办]？",
            "[孩子要上学了|要办社保]，户口[还在老家|迁不过来]，[材料都准备好了|跑了几次]，请帮忙看看怎么办。",
        ],
        ..S
    },
    Scenario {
        kind: K::Help,
        category: "traffic",
        weight: 10,
        target: Target::Traffic,
        topic: "挪车和交通事故",
        bodies: &[
            "我的车被[一辆白色轿车|一辆面包车]堵在{road}[车位里|路边]出不来，[车上没留电话|打不通]，[要送孩子去医院|上班要迟到了]，麻烦帮忙挪一下车。",
            "{when}在{road}[被一辆车剐蹭了|骑电瓶车被撞了]，[对方跑了|对方不承认]，[附近有监控|我记得车的颜色]，请帮忙调监控。",
        ],
        ..S
    },
    Scenario {
        kind: K::Help,
        category: "non_police",
        weight: 8,
        dept: Some(Dept::Power),
        topic: "停电断水",
        bodies: &[
            "{estate}从{when}开始[停电|停水]，[到现在还没来|家里冰箱东西都坏了]，[物业说不知道|打电话没人接]，请帮忙联系一下。",
        ],
        ..S
    },
    Scenario {
        kind: K::Help,
        category: "non_police",
        weight: 6,
        dept: Some(Dept::Labour),
        topic: "劳资纠纷",
        bodies: &[
            "我们[十几个工人|一个班组]在{spot}[做了半年|干活]，包工头[跑了|拖欠工资]，[一共{money}|过年回家的路费都没有]，请帮帮我们。",
        ],
        ..S
    },
    Scenario {
        kind: K::Help,
        category: "other",
        weight: 8,
        topic: "其他求助",
        bodies: &[
            "[钥匙锁在车里了|门被反锁了]，[孩子还在里面|人在{spot}]，[找了开锁的说要证明|不知道找谁]，请帮忙。",
            "在{spot}捡到一个[钱包|手机|包]，[里面有身份证|有不少现金]，想交给派出所，请问送到哪里？",
        ],
        ..S
    },
    // ── 咨询 consultation ──────────────────────────────────────────────
    Scenario {
        kind: K::Consultation,
        category: "household",
        weight: 28,
        topic: "户籍业务咨询",
        bodies: &[
            "请问[新生儿落户|投靠父母落户|大学生户口迁回]需要带哪些材料？可以[在{unit}办吗|网上办吗|周末办吗|在手机上预约吗|让家里人代办吗]？",
            "想问一下身份证[到期换领|异地补办|办临时身份证]要多久？[要本人去吗|能不能家里人代办|孩子的怎么办|老人行动不便怎么办|可以邮寄吗]？",
            "[刚在{estate}买了房|在{area}租房工作]，请问[怎么把户口迁过来|居住证怎么办理]，[需要社保证明吗|要多长时间]？",
            "[出国留学|找工作]要开无犯罪记录证明，请问[在哪里开|要带什么材料|多久能拿到]？",
        ],
        ..S
    },
    Scenario {
        kind: K::Consultation,
        category: "vehicle_admin",
        weight: 22,
        target: Target::Traffic,
        topic: "车驾管业务咨询",
        bodies: &[
            "请问电动车上牌[要带什么|需要发票吗|二手车能上吗|外地买的车能上吗]？[{spot}附近有没有上牌点|周末上不上班|星期六能去办吗|要提前预约吗|大概要排多久]？",
            "驾驶证[快到期了|在外地丢了]，[可以在{area}换吗|能网上办吗]，需要体检吗？",
            "{when}在{road}[被拍了违停|闯了红灯]，请问[怎么处理|扣几分|可以在手机上交罚款吗]？",
            "[电动自行车|老年代步车|电动三轮车]可以[上路吗|带人吗|不戴头盔会罚吗|上高架吗]？[想问问具体规定|有没有明确的规定|具体是怎么规定的|网上说法不一样|小区里大家都在问]。",
        ],
        ..S
    },
    Scenario {
        kind: K::Consultation,
        category: "fraud",
        weight: 10,
        topic: "反诈咨询",
        bodies: &[
            "收到一个[短信|电话]说我的[ETC要过期|医保卡被冻结|快递有问题]，让我点链接[认证|办理]，[这是不是诈骗|我没敢点]？",
            "[网上有人|朋友介绍]说[做任务可以赚钱|投资虚拟币稳赚]，[要先交{money}|这靠谱吗|还要拉人进群]？[想问问是不是骗局|会不会是诈骗|我有点担心被骗|家里人劝我别信]。",
        ],
        ..S
    },
    Scenario {
        kind: K::Consultation,
        category: "cyber",
        weight: 8,
        topic: "网络账号安全",
        bodies: &[
            "[我的{app}账号|微信号]被盗了，[在给朋友发借钱消息|找不回来]，[怎么报案|需要带什么]？",
            "[网上的照片被人盗用|个人信息被人发到网上]，这种情况[派出所管不管|该怎么处理]？",
        ],
        ..S
    },
    Scenario {
        kind: K::Consultation,
        category: "dispute",
        weight: 6,
        topic: "纠纷处理咨询",
        bodies: &[
            "[租房|买二手车|装修]的时候[对方不退定金|合同有纠纷]，[派出所能管吗|应该去哪里解决]？",
        ],
        ..S
    },
    Scenario {
        kind: K::Consultation,
        category: "non_police",
        weight: 6,
        dept: Some(Dept::Street),
        topic: "非警务咨询",
        bodies: &[
            "{estate}[物业|业委会]的事[该找谁|街道还是派出所管]？[物业费乱收|停车位被卖|电梯坏了没人修|小区门禁形同虚设]，[想咨询一下|不知道该找哪个部门|问了几个地方都说不归他们管]。",
        ],
        ..S
    },
    Scenario {
        kind: K::Consultation,
        category: "other",
        weight: 8,
        topic: "其他咨询",
        bodies: &[
            "请问{unit}[上班时间是几点|中午办不办业务|在哪里]？[周末有人值班吗|要不要预约]？",
            "[开店|办民宿]需要到派出所[登记|备案]吗？[{spot}这边|旅馆业]有什么要求？",
        ],
        ..S
    },
    // ── 建议 suggestions (金点子) ──────────────────────────────────────
    Scenario {
        kind: K::Suggestion,
        category: "traffic",
        weight: 24,
        target: Target::Traffic,
        topic: "交通管理建议",
        bodies: &[
            "{road}[学校门口|{spot}]上下学时间特别堵，建议[增设护学岗|早晚高峰安排交警|划出临时接送区]。",
            "{road}[和{spot}交叉的路口|那个丁字路口]红绿灯[时间太短|左转没有单独的灯]，[老人过马路来不及|经常出事故]，建议调整一下。",
            "{road}[晚上|下雨天]车速很快，[没有减速带|斑马线不明显]，建议[加装测速|装个信号灯]。",
        ],
        ..S
    },
    Scenario {
        kind: K::Suggestion,
        category: "public_order",
        weight: 14,
        topic: "治安巡逻建议",
        bodies: &[
            "建议在{spot}和{estate}一带[晚上增加巡逻|多安排点警力]，[最近晚上不太安全|夜市散场后人很杂]。",
            "[{estate}|我们村]的监控[太少了|很多是坏的]，建议[加装探头|和派出所联网]，[电瓶车丢得太多|老人孩子多]。",
        ],
        ..S
    },
    Scenario {
        kind: K::Suggestion,
        category: "fire",
        weight: 8,
        topic: "集中充电桩",
        bodies: &[
            "建议在{estate}[建集中充电棚|多装点充电桩]，这样就没人往楼上拉电线了，[物业说没钱|希望派出所和社区一起推动]。",
        ],
        ..S
    },
    Scenario {
        kind: K::Suggestion,
        category: "fraud",
        weight: 10,
        topic: "反诈宣传",
        bodies: &[
            "建议多到[{estate}|村里|菜场]搞反诈宣传，[老年人很容易上当|我们那边好几个人被骗了]，[发传单不如现场讲案例|可以在广场活动日讲]。",
        ],
        ..S
    },
    Scenario {
        kind: K::Suggestion,
        category: "household",
        weight: 8,
        target: Target::City,
        topic: "户籍服务建议",
        bodies: &[
            "建议户籍窗口[周末也开放|中午不休息|开通网上预约]，[上班族请假很难|有时排队要一上午]。",
        ],
        ..S
    },
    Scenario {
        kind: K::Suggestion,
        category: "vehicle_admin",
        weight: 6,
        target: Target::City,
        topic: "车驾管服务建议",
        bodies: &[
            "建议[电动车上牌|驾驶证体检]能在[乡镇|{town}]就近办理，[每次跑到县城太远了|老人不会用手机预约]。",
        ],
        ..S
    },
    Scenario {
        kind: K::Suggestion,
        category: "other",
        weight: 10,
        target: Target::City,
        topic: "警务工作建议",
        bodies: &[
            "[警务广场|广场活动日]办得很好，建议[多到{town}来办|晚上也办一场|多请年轻人参加]，[讲讲反诈和交通安全|让大家认识一下片区民警]。",
            "建议[公开每个小区的片警电话|在{estate}门口贴民警联系方式]，[有事好找人|很多人不知道找谁]。",
        ],
        ..S
    },
    Scenario {
        kind: K::Suggestion,
        category: "non_police",
        weight: 6,
        dept: Some(Dept::Transport),
        topic: "公交线路建议",
        bodies: &[
            "建议{road}[增加一趟公交|末班车晚一点]，[{estate}的老人去医院很不方便|晚上下班没车回家]。",
        ],
        ..S
    },
    // ── 表扬 praise ────────────────────────────────────────────────────
    Scenario {
        kind: K::Praise,
        category: "theft",
        weight: 14,
        topic: "找回被盗财物",
        bodies: &[
            "感谢{unit}的民警！我{when}丢的{bike}[三天就找回来了|当天就找到了]，[本来都不抱希望了|民警加班看了好几个小时监控]，真的很感动。",
        ],
        ..S
    },
    Scenario {
        kind: K::Praise,
        category: "missing_person",
        weight: 10,
        topic: "帮助寻找走失亲人",
        bodies: &[
            "[我家老人|我爸]{when}走丢了，{unit}的民警[找了一整夜|冒着雨到处找]，[凌晨在{spot}附近找到了|送回家还给买了吃的]，全家人都非常感谢！",
        ],
        ..S
    },
    Scenario {
        kind: K::Praise,
        category: "fraud",
        weight: 10,
        topic: "及时劝阻诈骗",
        bodies: &[
            "[我妈|我]差点被骗子骗了{money}，{unit}的民警[及时上门劝阻|打电话来提醒]，[钱保住了|还帮忙冻结了账户]，太感谢了！",
        ],
        ..S
    },
    Scenario {
        kind: K::Praise,
        category: "traffic",
        weight: 10,
        target: Target::Traffic,
        topic: "交警热心服务",
        bodies: &[
            "{when}在{road}[车抛锚了|电瓶车没电了]，[一位交警|{unit}的民警][帮我推车|冒雨指挥交通]，[还送我到修车店|浑身都湿透了]，点个赞！",
        ],
        ..S
    },
    Scenario {
        kind: K::Praise,
        category: "household",
        weight: 8,
        topic: "户籍窗口服务",
        bodies: &[
            "{unit}户籍窗口的民警[服务特别好|很耐心]，[我材料没带全|下班时间到了]，[还主动帮我想办法|加班帮我办完了]，要表扬！",
        ],
        ..S
    },
    Scenario {
        kind: K::Praise,
        category: "dispute",
        weight: 6,
        topic: "调解纠纷",
        bodies: &[
            "[我们和邻居|我和房东]闹了[很久|好几个月]，{unit}的民警[来了好几次|耐心调解]，[现在关系缓和了|事情圆满解决了]，谢谢！",
        ],
        ..S
    },
    Scenario {
        kind: K::Praise,
        category: "other",
        weight: 6,
        topic: "民警热心帮助",
        bodies: &[
            "{when}[在{spot}中暑晕倒|孩子在{spot}发高烧]，[巡逻的民警|{unit}的民警][马上送我们去医院|帮忙叫了救护车]，谢谢好民警！",
        ],
        ..S
    },
];

/// Ongoing danger: flagged as emergencies at intake (the resident is told to call 110).
pub static EMERGENCIES: &[Scenario] = &[
    Scenario {
        kind: K::Help,
        category: "fire",
        emergency: true,
        topic: "火情",
        bodies: &[
            "{estate}[楼道里|车棚里]的电瓶车[充电着火了|在冒烟]，[烟很大|火越来越大]，楼上还有人！快来人！",
            "{spot}[旁边|后面]的[仓库|出租房]着火了，[现在火很大|里面可能有人]，请马上派人来！",
        ],
        ..S
    },
    Scenario {
        kind: K::Help,
        category: "public_order",
        emergency: true,
        topic: "正在发生的打架斗殴",
        bodies: &[
            "{spot}[有一群人在打架|有人拿着刀在砍人]，[现在还在打|已经有人流血了]，请马上出警！",
            "有人喝醉了在{place}[砸车|拿棍子追人]，[现在还在闹|路人都吓跑了]，快来！",
        ],
        ..S
    },
    Scenario {
        kind: K::Help,
        category: "dispute",
        emergency: true,
        topic: "人身威胁",
        bodies: &[
            "[前夫|邻居]喝醉了在砸我家门，[说要杀了我|拿着刀]，我和孩子躲在房间里，地址是{estate}，快来救我！",
        ],
        ..S
    },
    Scenario {
        kind: K::Help,
        category: "traffic",
        emergency: true,
        target: Target::Traffic,
        topic: "交通事故伤人",
        bodies: &[
            "{road}[刚刚|现在]发生车祸，[有人倒在地上不动了|一辆车翻了]，[流了很多血|人卡在里面]，快叫救护车和交警！",
        ],
        ..S
    },
    Scenario {
        kind: K::Help,
        category: "missing_person",
        emergency: true,
        topic: "落水和走失",
        bodies: &[
            "{spot}[有个小孩掉河里了|有人跳河了]，[现在还在水里|看不到人了]，快来人救命！",
            "我家孩子[三岁|五岁]在{spot}[刚刚|十分钟前]不见了，[到处找不到|旁边就是河]，求求你们快来！",
        ],
        ..S
    },
];

/// Channel openers (templates: `[a|b]` alternatives, `{slot}`s), weighted by
/// repetition. Each is a greeting or a framing, often with a little of who is writing,
/// so that no opening line repeats across thousands of appeals.
pub fn openers(channel: Channel) -> &'static [&'static str] {
    match channel {
        Channel::Hotline => &[
            "[来电人|市民|群众|一位{area}的市民][来电|打电话][反映|称|说]：",
            "96110[来电|热线]：[来电人|一位女士|一位老先生|一位年轻人][反映|说]，",
            "[来电群众|来电人]自称住在{town}，[反映|称]：",
            "[接|收到]{town}[群众|居民]来电，[称|反映]",
        ],
        Channel::Mailbox => &[
            "[尊敬的|敬爱的]局长：[您好！|你好！|]",
            "局长您好，[我是{town}的一名普通居民，|我住在{estate}，|打扰了，|]",
            "尊敬的[领导|公安局领导]：[我是{area}的居民，|冒昧给您写信，|]",
            "[局长信箱|致局长]：[您好，|]",
        ],
        Channel::Weibo => &[
            "@湖州公安 [求助，|问一下，|]",
            "#湖州#[ @湖州公安|] ",
            "[@湖州公安 @{area}公安 |]",
            "",
        ],
        Channel::Wechat => &[
            "",
            "[你好|您好|民警你好|警官您好|哈喽|你们好][，|！|。]",
            "[你好民警同志|打扰了民警同志|在吗民警同志|民警同志在吗|请问是派出所吗][，|。|？]",
            "[我是{estate}的，|我在{town}这边，|]",
        ],
        Channel::Sms => &[
            "",
            "[你好|您好|民警同志][ |，]",
            "[{town}|{estate}][居民|]：",
        ],
        Channel::SquareEvent => &[
            "广场活动日[现场|上][群众|一位大姐|一位大爷|一位年轻人][反映|提出]：",
            "在{town}广场活动日上[提出|反映]：",
            "[活动日|广场活动日]现场[记录|登记]：",
        ],
        Channel::Talk => &[
            "[警民恳谈会|恳谈会]上[群众|村民|居民代表|一位老党员]提出：",
            "[{town}|{estate}]恳谈会上[村民|居民][反映|提出]：",
            "恳谈会记录：[{town}居民|村民代表][反映|提出]，",
        ],
        Channel::Liaison => &[
            "[信息联络员|联络员][反映|报告]：",
            "据{town}信息联络员[了解|反映]，",
            "联络员[走访|巡查]{estate}时[了解到|听居民说]，",
        ],
        Channel::Open311 => &["[随手拍] ", "", "[随手拍] [位置附近|定位附近|就在这里]，"],
        Channel::Web | Channel::Api | Channel::Import => &[
            "",
            "",
            "[您好|你好|民警同志你好|警官你好][，|！]",
            "[我是{estate}的住户，|我住在{town}，|我是{area}的居民，]",
        ],
    }
}

/// Closings by kind (templates; "" keeps some texts without one). Each combines a
/// request and a word of thanks or feeling from several alternatives, as people vary
/// how they end a message.
pub fn closings(kind: K) -> &'static [&'static str] {
    match kind {
        K::Complaint => &[
            "",
            "",
            "[希望|麻烦|请][尽快|早点|抓紧][处理一下|解决一下|管一管|处理|解决]，[谢谢|拜托了|辛苦了|感谢]！",
            "[请|希望][有关部门|你们|派出所][管一管|重视一下|过来看看]。",
            "[已经|前后][反映过|打过电话][好几次|两三次|不止一次]了，[一直没人管|到现在还是老样子|没有任何回音]。",
            "[实在受不了了|真的没办法了|大家意见都很大|邻居们都很气愤|老人孩子都受影响]，[希望给个说法|请给我们一个答复|盼回复|希望有个结果]。",
        ],
        K::Report => &[
            "",
            "",
            "[请|希望][警方|民警|派出所][核查一下|查一查|去看一下|核实处理|依法处理]。",
            "[我可以配合提供情况|需要的话我可以带路|有照片可以提供|我拍了视频]，[请联系我|电话可以打给我|随时可以找我]。",
            "[请对我的信息保密|不方便留名|怕被报复]，[请核实处理|谢谢|请不要透露是我说的]。",
        ],
        K::Help => &[
            "",
            "",
            "[请|麻烦][帮帮我们|帮帮忙|想想办法]，[谢谢|拜托了|感激不尽]！",
            "[很着急|急死了|实在没办法了|一家人都睡不着|老人在家哭]，[请尽快联系我|盼回电|麻烦尽快回个电话|电话一直开着]。",
            "[谢谢|多谢|先谢谢了|辛苦了][民警同志|警官|你们|各位]！",
        ],
        K::Consultation => &[
            "",
            "",
            "[谢谢解答|先谢谢了|多谢][！|。]",
            "[麻烦|请][回复一下|告知一下|给个答复]，[谢谢|多谢]。",
            "[在线等|急用|这两天就要办|下周就要用|赶时间]，[谢谢|麻烦了|先谢过]！",
        ],
        K::Suggestion => &[
            "",
            "",
            "[仅供参考|一点小建议|个人想法]，[谢谢|望采纳]。",
            "[建议|希望][有关部门|局里|你们][考虑一下|研究一下|试试看]。",
            "[希望能采纳|盼早日落实|期待看到改进]，[谢谢|辛苦了]！",
        ],
        K::Praise => &[
            "",
            "",
            "[特此表扬|特此致谢|在此表示感谢|一定要表扬一下|全家人都很感激][！|。]",
            "[谢谢你们|辛苦了|真心感谢]，[人民警察好样的|为你们点赞|祝你们工作顺利]！",
            "[希望领导给予表扬|建议给这位民警记功|请转达我们的谢意|请替我们谢谢他们|希望大家都向他学习]。",
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::texts::Template;
    use police_square_domain::{AppealKind, Category};

    #[test]
    fn every_template_parses_and_every_category_and_kind_is_covered() {
        for s in SCENARIOS.iter().chain(EMERGENCIES) {
            assert!(!s.bodies.is_empty() && !s.topic.is_empty(), "{s:?}");
            assert!(Category::DEFAULTS.contains(&s.category), "{}", s.category);
            for b in s.bodies {
                Template::parse(b);
            }
            if s.category == Category::NON_POLICE {
                assert!(s.dept.is_some(), "non-police scenarios name a department");
            }
        }
        for c in Channel::ALL {
            for o in openers(*c) {
                Template::parse(o);
            }
        }
        for k in AppealKind::ALL {
            for c in closings(*k) {
                Template::parse(c);
            }
        }
        for c in Category::DEFAULTS {
            assert!(SCENARIOS.iter().any(|s| s.category == *c), "{c}");
        }
        for k in AppealKind::ALL {
            assert!(SCENARIOS.iter().any(|s| s.kind == *k), "{k}");
        }
    }
}
