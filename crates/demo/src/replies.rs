//! Replies (答复) to demo appeals, by kind, category and outcome.

use police_square_domain::AppealKind as K;
use rand::Rng;

use crate::corpus::Scenario;
use crate::texts::pick;

const THANKS: &[&str] = &[
    "感谢您对公安工作的支持！",
    "感谢您的理解与支持。",
    "如有新情况请随时与我们联系。",
    "如对办理结果有疑问，可拨打96110反映。",
];

const REJECT: &[&str] = &[
    "经核实，您反映的事项与此前群众反映的问题相同，已合并办理，办理结果将一并答复。",
    "您反映的内容缺少具体地点和时间，无法核实，请补充相关情况后重新提交。",
    "经核实，该事项已通过司法途径处理，不属于信访受理范围。",
    "您反映的事项不属于公安机关职责范围，建议向相关主管部门反映。",
];

fn action(s: &Scenario) -> &'static str {
    match (s.kind, s.category) {
        (K::Consultation, "household") => "户籍业务可在工作日到户籍窗口办理，具体材料清单已通过短信发送给您，部分业务可在“浙里办”网上办理。",
        (K::Consultation, "vehicle_admin") => "相关业务可通过“交管12123”或到车管服务站办理，所需材料已电话告知。",
        (K::Consultation, "fraud") => "经核实，这是典型的诈骗手法，请不要点击链接、不要转账，可下载国家反诈中心APP。",
        (K::Consultation, _) => "具体办理方式已由民警电话告知，欢迎随时咨询。",
        (K::Suggestion, _) => "您的建议已转相关业务部门研究，部分措施已纳入下一步工作计划。",
        (K::Praise, _) => "您的表扬已转达给相关民警，我们将继续努力做好为民服务。",
        (_, "theft") => "民警已调取周边监控并走访排查，已将案件录入系统，后续有进展会第一时间告知您，同时已加强该区域巡逻。",
        (_, "fraud") => "反诈专班已受理并对涉案账户进行止付，民警已上门了解情况并开展反诈宣传。",
        (_, "public_order") => "民警已到现场核查，对相关人员进行了批评教育，并将该处列入夜间重点巡逻点位。",
        (_, "traffic") => "交警已到现场处理，并在该路段加强了早晚高峰管控和违法查处。",
        (_, "vehicle_admin") => "我们已优化窗口设置，增开预约名额，并安排专人引导。",
        (_, "household") => "户籍窗口已与您联系并协助办理完毕，我们将进一步改进窗口服务。",
        (_, "dispute") => "社区民警已会同社区调解员上门调解，双方已达成一致意见。",
        (_, "missing_person") => "民警立即组织查找，已协助家属找到当事人，并提醒家属为老人佩戴防走失手环。",
        (_, "fire") => "民警已会同消防、社区到现场检查，督促清理隐患并做好宣传。",
        (_, "cyber") => "网警已核查并依法处置相关信息，对造谣人员依法进行了处理。",
        (_, "conduct") => "经督察核查，已对相关民警进行批评教育并责令整改，感谢您的监督。",
        (_, "non_police") => "已协调相关职能部门处理，目前问题已得到解决。",
        _ => "承办民警已与您联系并按规定处理。",
    }
}

/// The reply to an appeal that was handled.
pub fn reply(s: &Scenario, unit: &str, rng: &mut impl Rng) -> String {
    let greet = match s.kind {
        K::Praise => "您好，感谢您对我们工作的肯定！",
        _ => "您好，",
    };
    format!(
        "{greet}您反映的“{}”问题已由{unit}办理。{}{}",
        s.topic,
        action(s),
        pick(rng, THANKS)
    )
}

/// The reply to a handed-off (non-police) appeal.
pub fn handed_off(s: &Scenario, dept: &str, rng: &mut impl Rng) -> String {
    format!(
        "您好，您反映的“{}”问题属于{dept}的职责范围，我们已转交该部门办理并跟踪结果。{}",
        s.topic,
        pick(rng, THANKS)
    )
}

/// The reason given for a rejected appeal (不予受理, still answered).
pub fn rejected(rng: &mut impl Rng) -> String {
    format!("您好，{}{}", pick(rng, REJECT), pick(rng, THANKS))
}
