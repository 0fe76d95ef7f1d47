//! The Huzhou unit tree (湖州市公安局 → 县区局 → 派出所 / 交警中队) and the places each
//! unit looks after, which the text generator draws on. Place names are real towns and
//! landmarks of Huzhou; estates and villages are plausible, and every address is demo.

use anyhow::Context;
use police_square_domain::UnitKind;
use police_square_store::{Id, NewUnit, OrgStore};

/// A police station (派出所) or traffic team with the places in its area.
#[derive(Debug)]
pub struct StationSpec {
    pub name: &'static str,
    /// Login suffix: `handler.<slug>`.
    pub slug: &'static str,
    pub kind: UnitKind,
    /// Sub-district or town (街道/镇), used in addresses.
    pub town: &'static str,
    /// Landmarks, markets, squares, junctions.
    pub spots: &'static [&'static str],
    pub roads: &'static [&'static str],
    /// Residential estates (小区) and villages (村).
    pub estates: &'static [&'static str],
}

/// A county/district bureau (县区局).
#[derive(Debug)]
pub struct DistrictSpec {
    pub name: &'static str,
    /// 吴兴区, 德清县 …
    pub area: &'static str,
    pub slug: &'static str,
    pub office: &'static str,
    pub stations: &'static [StationSpec],
    pub traffic: StationSpec,
}

pub const CITY: &str = "湖州市公安局";
pub const CITY_OFFICE: &str = "警察公共关系办公室";

const fn station(
    name: &'static str,
    slug: &'static str,
    town: &'static str,
    spots: &'static [&'static str],
    roads: &'static [&'static str],
    estates: &'static [&'static str],
) -> StationSpec {
    StationSpec {
        name,
        slug,
        kind: UnitKind::Station,
        town,
        spots,
        roads,
        estates,
    }
}

const fn traffic(
    name: &'static str,
    slug: &'static str,
    town: &'static str,
    spots: &'static [&'static str],
    roads: &'static [&'static str],
) -> StationSpec {
    StationSpec {
        name,
        slug,
        kind: UnitKind::TrafficTeam,
        town,
        spots,
        roads,
        estates: &[],
    }
}

pub static DISTRICTS: &[DistrictSpec] = &[
    DistrictSpec {
        name: "吴兴区分局",
        area: "吴兴区",
        slug: "wuxing",
        office: "吴兴区分局警察公共关系室",
        stations: &[
            station(
                "爱山派出所",
                "aishan",
                "爱山街道",
                &[
                    "爱山广场",
                    "衣裳街",
                    "小西街",
                    "馆驿河头",
                    "红旗路步行街",
                    "府庙菜场",
                ],
                &["红旗路", "人民路", "解放路", "南街"],
                &["飞英小区", "红丰新村", "凤凰一村", "南园小区"],
            ),
            station(
                "月河派出所",
                "yuehe",
                "月河街道",
                &["月河古街", "莲花庄公园", "月河菜场", "中心医院门口"],
                &["莲花庄路", "吉山路", "苕溪东路", "二环东路"],
                &["吉山新村", "月河小区", "东白鱼潭小区", "百合公寓"],
            ),
            station(
                "织里派出所",
                "zhili",
                "织里镇",
                &[
                    "织里童装市场",
                    "中国童装城",
                    "大港路夜市",
                    "织里汽车站",
                    "珍贝路工业区",
                ],
                &["大港路", "珍贝路", "利济路", "栋梁路"],
                &["晓河村", "轧村村", "太湖村", "秦家港村", "童装城出租房"],
            ),
            station(
                "八里店派出所",
                "balidian",
                "八里店镇",
                &["八里店菜场", "移沿山农业园", "尹家圩物流园"],
                &["八里店南路", "湖织大道", "南太湖大道"],
                &["潘店村", "移沿山村", "章家埭村", "紫金桥村"],
            ),
        ],
        traffic: traffic(
            "吴兴交警大队城区中队",
            "traffic.wuxing",
            "吴兴区",
            &[
                "二环东路青铜路口",
                "红旗路人民路口",
                "湖织大道收费站",
                "爱山广场停车场出口",
            ],
            &["二环东路", "湖织大道", "红旗路", "吴兴大道"],
        ),
    },
    DistrictSpec {
        name: "南浔区分局",
        area: "南浔区",
        slug: "nanxun",
        office: "南浔区分局警察公共关系室",
        stations: &[
            station(
                "南浔派出所",
                "nanxun",
                "南浔镇",
                &["南浔古镇", "百间楼", "小莲庄", "东大街", "南浔汽车站"],
                &["人瑞路", "适园路", "南林路"],
                &["嘉业小区", "泰安新村", "东迁村", "江南小区"],
            ),
            station(
                "练市派出所",
                "lianshi",
                "练市镇",
                &["练市菜场", "练市老街", "练市汽车站"],
                &["练市大道", "湖盐公路"],
                &["荃步村", "朱家兜村", "新会小区"],
            ),
            station(
                "双林派出所",
                "shuanglin",
                "双林镇",
                &["双林桥", "双林老街", "双林菜场"],
                &["南浔大道", "双林大道"],
                &["向阳小区", "莫蓉村", "三田漾村"],
            ),
            station(
                "菱湖派出所",
                "linghu",
                "菱湖镇",
                &["菱湖菜市场", "菱湖鱼塘边", "下昂集镇"],
                &["菱湖大道", "北园路"],
                &["竹墩村", "射中村", "菱湖新村"],
            ),
        ],
        traffic: traffic(
            "南浔交警大队城区中队",
            "traffic.nanxun",
            "南浔区",
            &[
                "318国道南浔段",
                "申苏浙皖高速南浔出口",
                "人瑞路南林路口",
                "练市大道转盘",
            ],
            &["318国道", "南浔大道", "练市大道"],
        ),
    },
    DistrictSpec {
        name: "德清县公安局",
        area: "德清县",
        slug: "deqing",
        office: "德清县公安局警察公共关系室",
        stations: &[
            station(
                "武康派出所",
                "wukang",
                "武康街道",
                &["英溪广场", "余英坊", "武康汽车站", "德清万达广场"],
                &["千秋街", "英溪北路", "永安街", "塔山街"],
                &["城北小区", "千秋新村", "锦绣蓝湾", "余英坊小区"],
            ),
            station(
                "新市派出所",
                "xinshi",
                "新市镇",
                &["新市古镇", "新市菜场", "新市码头"],
                &["新市大道", "北栅街"],
                &["宋市村", "厚皋村", "新市新村"],
            ),
            station(
                "乾元派出所",
                "qianyuan",
                "乾元镇",
                &["乾元老街", "德清高铁站", "乾元菜场"],
                &["直街", "乾元大道"],
                &["金火村", "联合村", "乾元小区"],
            ),
            station(
                "洛舍派出所",
                "luoshe",
                "洛舍镇",
                &["洛舍钢琴小镇", "洛舍漾", "砂村码头"],
                &["洛舍大道"],
                &["东衡村", "张陆湾村", "砂村村"],
            ),
            station(
                "莫干山派出所",
                "moganshan",
                "莫干山镇",
                &["莫干山风景区", "庾村", "莫干山民宿集中区", "剑池停车场"],
                &["莫干山路", "环山公路"],
                &["劳岭村", "后坞村", "仙潭村"],
            ),
        ],
        traffic: traffic(
            "德清交警大队武康中队",
            "traffic.deqing",
            "德清县",
            &["英溪北路千秋街口", "德清高速出口", "104国道武康段"],
            &["104国道", "英溪北路", "千秋街"],
        ),
    },
    DistrictSpec {
        name: "长兴县公安局",
        area: "长兴县",
        slug: "changxing",
        office: "长兴县公安局警察公共关系室",
        stations: &[
            station(
                "雉城派出所",
                "zhicheng",
                "雉城街道",
                &["长兴广场", "长兴汽车站", "明珠路夜市", "长兴人民医院门口"],
                &["金陵路", "明珠路", "长兴大道", "解放东路"],
                &["龙山新村", "画溪小区", "金陵小区", "中央花园"],
            ),
            station(
                "太湖派出所",
                "taihu",
                "太湖街道",
                &["长兴太湖图影", "图影湿地公园", "太湖龙之梦", "太湖边绿道"],
                &["太湖大道", "图影路"],
                &["图影村", "新塘村", "包桥村"],
            ),
            station(
                "泗安派出所",
                "sian",
                "泗安镇",
                &["泗安老街", "泗安菜场", "泗安工业园"],
                &["318国道泗安段", "泗安大道"],
                &["上泗安村", "仙山村", "泗安新村"],
            ),
            station(
                "煤山派出所",
                "meishan",
                "煤山镇",
                &["煤山菜场", "煤山工业园", "新川村电池厂门口"],
                &["煤山大道", "长牛线"],
                &["新川村", "访贤村", "煤山新村"],
            ),
        ],
        traffic: traffic(
            "长兴交警大队雉城中队",
            "traffic.changxing",
            "长兴县",
            &["长兴大道金陵路口", "长兴高速出口", "明珠路学校门口"],
            &["长兴大道", "金陵路", "104国道"],
        ),
    },
    DistrictSpec {
        name: "安吉县公安局",
        area: "安吉县",
        slug: "anji",
        office: "安吉县公安局警察公共关系室",
        stations: &[
            station(
                "递铺派出所",
                "dipu",
                "递铺街道",
                &["安吉万达广场", "安吉汽车站", "昌硕公园", "安吉人民医院门口"],
                &["浦源大道", "昌硕东路", "天目路", "胜利西路"],
                &["玉磬小区", "递铺新村", "天使小镇", "凤凰苑"],
            ),
            station(
                "孝丰派出所",
                "xiaofeng",
                "孝丰镇",
                &["孝丰老街", "孝丰菜场", "孝丰汽车站"],
                &["孝丰大道", "东门路"],
                &["横溪坞村", "城南村", "孝丰新村"],
            ),
            station(
                "天荒坪派出所",
                "tianhuangping",
                "天荒坪镇",
                &["安吉余村", "江南天池", "大溪村竹林", "天荒坪景区停车场"],
                &["天荒坪路", "山川公路"],
                &["余村", "大溪村", "五鹤村"],
            ),
            station(
                "梅溪派出所",
                "meixi",
                "梅溪镇",
                &["梅溪码头", "梅溪菜场", "晓墅老街"],
                &["梅溪大道", "荆湾路"],
                &["荆湾村", "晓墅村", "梅溪新村"],
            ),
        ],
        traffic: traffic(
            "安吉交警大队递铺中队",
            "traffic.anji",
            "安吉县",
            &["浦源大道天目路口", "安吉高速出口", "昌硕东路学校门口"],
            &["浦源大道", "天目路", "昌硕东路"],
        ),
    },
];

/// A station or traffic team as created, with its spec.
#[derive(Debug, Clone)]
pub struct LocalUnit {
    pub id: Id,
    pub spec: &'static StationSpec,
}

#[derive(Debug, Clone)]
pub struct DistrictUnits {
    pub id: Id,
    pub office: Id,
    pub spec: &'static DistrictSpec,
    pub stations: Vec<LocalUnit>,
    pub traffic: LocalUnit,
}

/// The created tree with database ids.
#[derive(Debug, Clone)]
pub struct UnitTree {
    pub city: Id,
    pub city_office: Id,
    pub districts: Vec<DistrictUnits>,
}

impl UnitTree {
    /// Every unit in creation order: (name, kind, parent index in this list).
    pub fn plan() -> Vec<(&'static str, UnitKind, Option<usize>)> {
        let mut out = vec![
            (CITY, UnitKind::City, None),
            (CITY_OFFICE, UnitKind::Office, Some(0)),
        ];
        for d in DISTRICTS {
            let di = out.len();
            out.push((d.name, UnitKind::District, Some(0)));
            out.push((d.office, UnitKind::Office, Some(di)));
            for s in d.stations {
                out.push((s.name, s.kind, Some(di)));
            }
            out.push((d.traffic.name, d.traffic.kind, Some(di)));
        }
        out
    }

    /// The tree from ids given in [`UnitTree::plan`] order.
    pub fn from_ids(ids: &[Id]) -> Self {
        let mut it = ids.iter().copied();
        let mut next = || it.next().expect("one id per planned unit");
        let city = next();
        let city_office = next();
        let districts = DISTRICTS
            .iter()
            .map(|spec| {
                let id = next();
                let office = next();
                let stations = spec
                    .stations
                    .iter()
                    .map(|s| LocalUnit {
                        id: next(),
                        spec: s,
                    })
                    .collect();
                let traffic = LocalUnit {
                    id: next(),
                    spec: &spec.traffic,
                };
                DistrictUnits {
                    id,
                    office,
                    spec,
                    stations,
                    traffic,
                }
            })
            .collect();
        Self {
            city,
            city_office,
            districts,
        }
    }

    /// A tree with ids 1, 2, 3 … (for pure tests, no database).
    pub fn synthetic() -> Self {
        let n = Self::plan().len() as Id;
        Self::from_ids(&(1..=n).collect::<Vec<_>>())
    }

    /// Stations and traffic teams, in plan order.
    pub fn locals(&self) -> impl Iterator<Item = (&DistrictUnits, &LocalUnit)> {
        self.districts.iter().flat_map(|d| {
            d.stations
                .iter()
                .chain(std::iter::once(&d.traffic))
                .map(move |s| (d, s))
        })
    }

    /// The name of a unit by id (for the logins table).
    pub fn name_of(&self, id: Id) -> &'static str {
        if id == self.city {
            return CITY;
        }
        if id == self.city_office {
            return CITY_OFFICE;
        }
        for d in &self.districts {
            if id == d.id {
                return d.spec.name;
            }
            if id == d.office {
                return d.spec.office;
            }
        }
        self.locals()
            .find(|(_, s)| s.id == id)
            .map(|(_, s)| s.spec.name)
            .unwrap_or("?")
    }

    /// Create every unit in `store` (which must have none yet).
    pub async fn create(store: &dyn OrgStore) -> anyhow::Result<Self> {
        let mut ids: Vec<Id> = Vec::new();
        for (name, kind, parent) in Self::plan() {
            let unit = store
                .create_unit(NewUnit {
                    parent_id: parent.map(|p| ids[p]),
                    name: name.to_owned(),
                    kind,
                })
                .await
                .with_context(|| format!("creating unit {name}"))?;
            ids.push(unit.id);
        }
        Ok(Self::from_ids(&ids))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_district_has_an_office_three_stations_and_a_traffic_team() {
        let tree = UnitTree::synthetic();
        assert_eq!(tree.districts.len(), 5);
        for d in &tree.districts {
            assert!(d.stations.len() >= 3, "{}", d.spec.name);
            assert!(d.traffic.spec.name.contains("交警大队"));
            for s in &d.stations {
                assert!(!s.spec.spots.is_empty() && !s.spec.roads.is_empty());
                assert!(!s.spec.estates.is_empty());
            }
        }
        let plan = UnitTree::plan();
        let mut names: Vec<_> = plan.iter().map(|p| p.0).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), plan.len(), "unit names are unique");
        let mut slugs: Vec<_> = tree.locals().map(|(_, s)| s.spec.slug).collect();
        slugs.sort();
        slugs.dedup();
        assert_eq!(slugs.len(), tree.locals().count());
    }
}
