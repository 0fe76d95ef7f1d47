//! Headlines (标题) for 一事多诉 clusters and emerging-issue alerts: place +
//! problem, the way a duty officer would write it ("织里镇大河路烧烤店夜间噪音"),
//! instead of a pile of keywords ("两点 噪音 家住 烧烤店").
//!
//! The place is the chain of place names (镇 + 路, 村, 小区…) most of the texts
//! share; the problem is the first rule of a short, ordered table whose words
//! most of the texts contain. Both come from fixed phrases or place names only:
//! no phone, person's name, house number or amount can reach a headline.

use crate::cluster::{is_specific_place, place_chains};
use crate::normalize::normalize;
use crate::segment::Segmenter;

/// A headline's parts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Headline {
    /// Where: a chain of place names shared by the texts.
    pub place: Option<String>,
    /// What: a fixed problem phrase.
    pub problem: Option<String>,
}

impl Headline {
    /// Place and problem as one line; `None` when the problem is unknown (a
    /// place alone says nothing about what happened).
    pub fn text(&self) -> Option<String> {
        let problem = self.problem.as_deref()?;
        Some(format!("{}{problem}", self.place.as_deref().unwrap_or("")))
    }
}

/// One problem rule: every group must have a word in the text.
struct Rule {
    all: &'static [&'static [&'static str]],
    phrase: &'static str,
}

const NOISE: &[&str] = &[
    "吵",
    "噪音",
    "喧哗",
    "划拳",
    "吼",
    "扰民",
    "音响",
    "音箱",
    "大声",
    "太响",
    "睡不着",
];
const STEAL: &[&str] = &["偷", "盗", "扒", "撬", "顺走", "拆走", "拆掉"];
const UNPAID: &[&str] = &["欠", "拖", "没给", "没拿到", "不给", "不发", "一分"];

/// Problems, most specific first.
const RULES: &[Rule] = &[
    Rule {
        all: &[&["打架", "斗殴", "干架", "打群架"]],
        phrase: "打架斗殴",
    },
    Rule {
        all: &[&["烧烤"], NOISE],
        phrase: "烧烤店夜间噪音",
    },
    Rule {
        all: &[&["广场舞", "跳舞"]],
        phrase: "广场舞噪音扰民",
    },
    Rule {
        all: &[&["ktv", "歌厅", "唱歌"], NOISE],
        phrase: "KTV噪音扰民",
    },
    Rule {
        all: &[&["麻将"], NOISE],
        phrase: "打麻将噪音扰民",
    },
    Rule {
        all: &[&["施工", "打桩"], NOISE],
        phrase: "夜间施工噪音",
    },
    Rule {
        all: &[&["炸街", "改装", "轰鸣"]],
        phrase: "车辆炸街噪音",
    },
    Rule {
        all: &[NOISE, &["夜", "凌晨", "晚上", "半夜"]],
        phrase: "夜间噪音扰民",
    },
    Rule {
        all: &[&["电瓶", "电池"], &["偷", "盗", "拆走", "拆掉", "没了"]],
        phrase: "电动车电瓶被盗",
    },
    Rule {
        all: &[&["电瓶车", "电动车", "自行车"], STEAL],
        phrase: "车辆被盗",
    },
    Rule {
        all: &[&["鱼塘", "偷鱼", "偷捕"], &["偷", "盗"]],
        phrase: "鱼塘被偷捕",
    },
    Rule {
        all: &[&["笋"], &["偷", "盗", "挖"]],
        phrase: "竹笋被盗挖",
    },
    Rule {
        all: &[&["铜线", "电缆", "电线"], STEAL],
        phrase: "电缆被盗",
    },
    Rule {
        all: &[&["保健品", "听课", "讲座"], &["骗", "买", "推销"]],
        phrase: "保健品推销坑老",
    },
    Rule {
        all: &[&["贷款"], &["骗", "手续费", "跑了", "拉黑"]],
        phrase: "假借贷款收费诈骗",
    },
    Rule {
        all: &[&["链接"], &["盗刷", "转走", "骗"]],
        phrase: "假冒链接盗刷",
    },
    Rule {
        all: &[&["刷单"]],
        phrase: "刷单诈骗",
    },
    Rule {
        all: &[&["冒充"], &["骗", "收"]],
        phrase: "冒充身份诈骗",
    },
    Rule {
        all: &[&["骗"]],
        phrase: "诈骗",
    },
    Rule {
        all: &[STEAL],
        phrase: "盗窃",
    },
    Rule {
        all: &[&["工钱", "工资", "欠薪", "薪"], UNPAID],
        phrase: "拖欠工资",
    },
    Rule {
        all: &[&["押金"]],
        phrase: "押金纠纷",
    },
    Rule {
        all: &[&["拖欠", "欠款", "欠钱"]],
        phrase: "拖欠款项",
    },
    Rule {
        all: &[&["充电", "飞线"], &["楼道", "电瓶车", "电动车"]],
        phrase: "楼道充电火灾隐患",
    },
    Rule {
        all: &[&["消防通道", "安全出口", "疏散通道"]],
        phrase: "消防通道堵塞",
    },
    Rule {
        all: &[&["停水", "没水", "来水"]],
        phrase: "停水",
    },
    Rule {
        all: &[&["停电", "没电"]],
        phrase: "停电",
    },
    Rule {
        all: &[
            &["水"],
            &["发黄", "变黄", "黄的", "浑", "异味", "怪味", "铁锈"],
        ],
        phrase: "水质异常",
    },
    Rule {
        all: &[&["焚烧", "烧塑料", "烧东西", "烧垃圾"]],
        phrase: "焚烧异味",
    },
    Rule {
        all: &[&["排污", "偷排", "污水"]],
        phrase: "污水排放",
    },
    Rule {
        all: &[&["臭", "异味", "气味", "味道", "熏"]],
        phrase: "异味扰民",
    },
    Rule {
        all: &[&["拉客"]],
        phrase: "强行拉客",
    },
    Rule {
        all: &[&["赌"]],
        phrase: "聚众赌博",
    },
    Rule {
        all: &[&["高空", "抛物", "往下扔", "扔垃圾"]],
        phrase: "高空抛物",
    },
    Rule {
        all: &[
            &["乱停", "双排", "违停", "停车", "堵"],
            &["学校", "小学", "中学", "幼儿园", "接孩子", "放学"],
        ],
        phrase: "接送车辆乱停拥堵",
    },
    Rule {
        all: &[&["乱停", "双排", "违停"]],
        phrase: "车辆乱停",
    },
    Rule {
        all: &[&["急弯", "弯道", "弯"], &["事故", "撞"]],
        phrase: "弯道事故多发",
    },
    Rule {
        all: &[&["事故", "撞车"]],
        phrase: "交通事故",
    },
    Rule {
        all: &[&["渣土车"]],
        phrase: "渣土车问题",
    },
    Rule {
        all: &[&["红绿灯", "信号灯"]],
        phrase: "信号灯问题",
    },
    Rule {
        all: &[&["堵"]],
        phrase: "交通拥堵",
    },
    Rule {
        all: &[
            &["走失", "走丢", "走散", "找不到"],
            &["老人", "痴呆", "老年", "爸", "妈", "奶奶", "爷爷"],
        ],
        phrase: "老人走失",
    },
    Rule {
        all: &[&["走失", "走丢", "失踪", "没回家", "离家出走", "失联"]],
        phrase: "人员走失",
    },
    Rule {
        all: &[&["电梯"]],
        phrase: "电梯故障",
    },
    Rule {
        all: &[&["坑", "塌"]],
        phrase: "路面坑洼",
    },
    Rule {
        all: &[&["路灯"]],
        phrase: "路灯损坏",
    },
    Rule {
        all: &[&["垃圾"]],
        phrase: "垃圾堆放",
    },
    Rule {
        all: &[&["造谣", "谣言", "假新闻"]],
        phrase: "网络谣言",
    },
    Rule {
        all: &[&["盗号", "号被盗", "被盗号"]],
        phrase: "账号被盗",
    },
    Rule {
        all: &[&["物业"]],
        phrase: "物业问题",
    },
    Rule {
        all: &[&["态度", "不耐烦", "推诿", "不作为", "敷衍"]],
        phrase: "服务态度问题",
    },
    Rule {
        all: &[&["户口", "户籍", "身份证", "居住证"]],
        phrase: "户籍证件办理",
    },
    Rule {
        all: &[&["驾照", "驾驶证", "年检", "车管所", "上牌"]],
        phrase: "车驾管业务",
    },
];

/// The place most texts share: the chain (or a place word in it) found in
/// the most texts, longest first among equals. A place in one text only of
/// several is not the group's place.
fn shared_place(per_text: &[Vec<String>]) -> Option<String> {
    let mut best: Option<(usize, usize, &str)> = None;
    for chains in per_text {
        for c in chains {
            let n = per_text
                .iter()
                .filter(|o| o.iter().any(|x| x.contains(c.as_str())))
                .count();
            let len = c.chars().count();
            if best.is_none_or(|(bn, bl, _)| (n, len) > (bn, bl)) {
                best = Some((n, len, c));
            }
        }
    }
    let (n, _, place) = best?;
    (per_text.len() < 2 || n * 2 >= per_text.len()).then(|| place.to_string())
}

/// The problem rule most texts satisfy (the more specific among equals).
fn shared_problem(texts: &[String]) -> Option<&'static str> {
    let mut best: Option<(usize, &'static str)> = None;
    for rule in RULES {
        let n = texts
            .iter()
            .filter(|t| rule.all.iter().all(|g| g.iter().any(|w| t.contains(w))))
            .count();
        if n > 0 && best.is_none_or(|(bn, _)| n > bn) {
            best = Some((n, rule.phrase));
        }
    }
    best.map(|(_, p)| p)
}

/// Headline of a group of appeal texts (e.g. a cluster's first appeals).
pub fn headline_of_texts(seg: &Segmenter, texts: &[&str]) -> Headline {
    let norms: Vec<String> = texts.iter().map(|t| normalize(t).to_lowercase()).collect();
    let chains: Vec<Vec<String>> = norms.iter().map(|n| place_chains(&seg.cut(n))).collect();
    Headline {
        place: shared_place(&chains),
        problem: shared_problem(&norms).map(str::to_string),
    }
}

/// Headline of an alert from its keywords (most significant first): the
/// place words among them and the problem their words describe. A problem
/// only named by its kind (盗窃, 诈骗) takes the alert's strongest other
/// keyword as its object (充电宝被盗): a new pattern has no rule of its own.
pub fn headline_of_keywords(keywords: &[String]) -> Headline {
    let words: Vec<String> = keywords
        .iter()
        .map(|k| normalize(k).to_lowercase())
        .collect();
    let place = words.iter().find(|w| is_specific_place(w)).cloned();
    let problem = shared_problem(&[words.concat()]).map(|p| {
        // Keywords from search-mode tokens hold a word and its parts (充电宝,
        // 充电): the strongest keyword, or a longer one that contains it.
        let object = || {
            let fits = |w: &&String| {
                w.chars().count() >= 2
                    && w.chars().all(crate::normalize::is_cjk)
                    && !is_specific_place(w)
                    && !STEAL.iter().chain(&["骗"]).any(|s| w.contains(s))
            };
            let first = words.iter().find(fits)?;
            words
                .iter()
                .filter(fits)
                .filter(|w| w.contains(first.as_str()))
                .max_by_key(|w| w.len())
        };
        match (p, object()) {
            ("盗窃", Some(o)) => format!("{o}被盗"),
            ("诈骗", Some(o)) => format!("{o}诈骗"),
            _ => p.to_string(),
        }
    });
    Headline { place, problem }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(texts: &[&str]) -> Option<String> {
        headline_of_texts(&Segmenter::new(), texts).text()
    }

    #[test]
    fn place_and_problem_from_differently_worded_appeals() {
        let h = head(&[
            "喂，我住在织里镇大河路那边，楼下有家烧烤店每天开到凌晨两三点，喝酒划拳的声音吵得睡不着，电话13800001234",
            "大河路烧烤店夜里太吵 凌晨还在营业 请处理",
        ])
        .unwrap();
        assert!(h.contains("大河路"), "{h}");
        assert!(h.ends_with("烧烤店夜间噪音"), "{h}");
    }

    #[test]
    fn theft_wage_and_water_headlines() {
        assert_eq!(
            head(&[
                "荃步村 昨晚又有电瓶被拆走 已经第四家了",
                "我们荃步村隔壁阿姨家电瓶车的电池昨天半夜也被偷了"
            ])
            .as_deref(),
            Some("荃步村电动车电瓶被盗")
        );
        assert_eq!(
            head(&["八里店宏达工地拖欠农民工工资 我们二十多人 求帮忙"])
                .as_deref()
                .map(|h| h.ends_with("拖欠工资")),
            Some(true)
        );
        assert_eq!(
            head(&["新市梅林小区停水两天了 自来水公司电话打不通"]).as_deref(),
            Some("梅林小区停水")
        );
    }

    #[test]
    fn no_personal_data_in_headlines() {
        let h = head(&[
            "我是王建国，住春晖小区7幢302室，电话13800001111，楼道里天天有人给电瓶车充电，飞线很危险",
            "春晖小区楼道充电 飞线 很危险",
        ])
        .unwrap();
        assert_eq!(h, "春晖小区楼道充电火灾隐患");
        for bad in ["王建国", "7幢", "302", "1380000"] {
            assert!(!h.contains(bad), "{h}");
        }
    }

    #[test]
    fn generic_place_words_are_not_places() {
        for w in ["马路", "我们小区", "农村", "老小区", "村里", "公园", "小区"] {
            assert!(!is_specific_place(w), "{w}");
        }
        for w in ["织里镇", "大河路", "春晖小区", "荃步村", "长兴实验小学"] {
            assert!(is_specific_place(w), "{w}");
        }
    }

    #[test]
    fn a_place_only_one_text_names_is_not_the_groups() {
        let h = headline_of_texts(
            &Segmenter::new(),
            &[
                "碧浪湖小区群里有假链接 被盗刷",
                "业主群假物业链接 钱被转走",
                "群里那个链接别点 被骗了",
            ],
        );
        assert_eq!(h.place, None);
        assert_eq!(h.problem.as_deref(), Some("假冒链接盗刷"));
    }

    #[test]
    fn unknown_problem_gives_no_headline() {
        assert_eq!(head(&["织里镇大河路"]), None);
    }

    #[test]
    fn alert_keywords_make_a_headline() {
        let kw: Vec<String> = ["两点", "噪音", "家住", "烧烤店", "织里镇"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(
            headline_of_keywords(&kw).text().as_deref(),
            Some("织里镇烧烤店夜间噪音")
        );
        let kw: Vec<String> = ["拖欠", "1100元", "200元", "信箱", "充公"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(
            headline_of_keywords(&kw).text().as_deref(),
            Some("拖欠款项")
        );
    }
}
