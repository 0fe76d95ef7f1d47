//! `police-square org import` and `user import` on a new installation, on SQLite and
//! PostgreSQL: files in CSV UTF-8, CSV GBK and XLSX (written here), bad rows reported
//! with row, column and reason while the good ones are imported, and a second run
//! that changes nothing.

use std::{path::Path, process::Command};

use police_square_domain::{Role, UnitKind};
use police_square_store::{
    password::verify_password,
    testing::{fresh_postgres_db, sqlite_url_in},
};

const BIN: &str = env!("CARGO_BIN_EXE_police-square");

/// Runs `police-square ARGS` on `db_url`; returns success and stdout+stderr.
fn run(db_url: &str, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(BIN)
        .args(args)
        .env("POLICE_SQUARE_DATABASE_URL", db_url)
        .env("POLICE_SQUARE_KEY", "03".repeat(32))
        .env("RUST_LOG", "error")
        .output()
        .expect("run police-square");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The unit list with a child listed before its parent (row 3 before row 4), a row
/// whose kind is only in its name, and three bad rows.
const UNITS_CSV: &str = "单位代码,单位名称,单位类型,上级单位,行政区划,值班电话,办公地址,办公时间\n\
330500,湖州市公安局,市局,,湖州市,0572-2000000,湖州市某路1号,全天\n\
330502001,爱山派出所,,330502,吴兴区,0572-2000001,吴兴区某街2号,8:30-17:30\n\
330502,吴兴区公安分局,分局,湖州市公安局,吴兴区,0572-2000002,,\n\
330500001,市局警察公共关系办公室,科室,330500,,,,\n\
,某某单位,警犬队,330500,,,,\n\
330502002,月河派出所,派出所,不存在的分局,吴兴区,,,\n\
330502003,织里派出所,派出所,330502,吴兴区,打电话,,\n";

/// Staff: a generated password, a given one, and bad rows.
const STAFF_CSV: &str = "username,display_name,role,unit,password\n\
admin.hz,张管理,管理员,330500,\n\
handler.aishan,李民警,承办民警,湖州市公安局/吴兴区公安分局/爱山派出所,temporary-pass-1\n\
13800000000,王,handler,330502001,\n\
zhao.yun,赵云,boss,330502001,\n\
qian.li,钱力,handler,不存在的所,\n";

fn write_xlsx(path: &Path, rows: &[&[&str]]) {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            // Codes typed as numbers, as people do in Excel.
            if let Ok(n) = cell.parse::<f64>() {
                if !cell.starts_with('0') {
                    sheet.write_number(r as u32, c as u16, n).unwrap();
                    continue;
                }
            }
            sheet.write_string(r as u32, c as u16, *cell).unwrap();
        }
    }
    book.save(path).unwrap();
}

async fn scenario(db_url: String, dir: &Path) {
    // A new installation: no units, so the server would refuse appeals.
    let units_csv = dir.join("units.csv");
    std::fs::write(&units_csv, UNITS_CSV).unwrap();
    let (ok, out, err) = run(&db_url, &["org", "import", units_csv.to_str().unwrap()]);
    assert!(!ok, "rejected rows fail the command");
    assert!(
        out.contains("7 rows (UTF-8): 4 created, 0 updated, 0 unchanged, 3 rejected"),
        "{out}"
    );
    assert!(
        out.contains("row 6, column 单位类型: unknown kind"),
        "{out}"
    );
    assert!(
        out.contains("row 7, column 上级单位: parent `不存在的分局`"),
        "{out}"
    );
    assert!(out.contains("row 8, column 值班电话:"), "{out}");
    assert!(err.contains("3 row(s) rejected"), "{err}");

    let stores = police_square_store::connect(&db_url).await.unwrap();
    let units = stores.org.units().await.unwrap();
    assert_eq!(units.len(), 4);
    let by_code = |code: &str| {
        units
            .iter()
            .find(|u| u.profile.code.as_deref() == Some(code))
            .unwrap_or_else(|| panic!("unit {code}"))
            .clone()
    };
    let city = by_code("330500");
    let district = by_code("330502");
    let aishan = by_code("330502001");
    assert_eq!(city.parent_id, None);
    assert_eq!(city.kind, UnitKind::City);
    assert_eq!(district.parent_id, Some(city.id));
    assert_eq!(aishan.parent_id, Some(district.id));
    assert_eq!(aishan.kind, UnitKind::Station, "kind from the name");
    assert_eq!(aishan.profile.duty_phone, "0572-2000001");
    assert_eq!(aishan.profile.hours, "8:30-17:30");
    assert_eq!(aishan.path, district.path.child(aishan.id));

    // The same rows again, in GBK as Excel on Chinese Windows saves CSV, without the
    // bad rows: nothing changes.
    let good: String = UNITS_CSV
        .lines()
        .take(5)
        .map(|l| format!("{l}\r\n"))
        .collect();
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(&good);
    assert!(!unmappable);
    let gbk_path = dir.join("units-gbk.csv");
    std::fs::write(&gbk_path, &gbk).unwrap();
    let (ok, out, err) = run(&db_url, &["org", "import", gbk_path.to_str().unwrap()]);
    assert!(ok, "{out}{err}");
    assert!(
        out.contains("4 rows (GBK): 0 created, 0 updated, 4 unchanged, 0 rejected"),
        "{out}"
    );
    let audit_before = stores.audit.audit_head().await.unwrap();

    // XLSX with English headers in another order and fewer columns (those it lacks
    // keep their stored values): one unit renamed and moved, one new unit whose code
    // is a number cell; the rest unchanged.
    let xlsx = dir.join("units.xlsx");
    write_xlsx(
        &xlsx,
        &[
            &["name", "code", "parent", "kind", "duty_phone"],
            &["湖州市公安局", "330500", "", "city", "0572-2000000"],
            &[
                "吴兴区公安分局",
                "330502",
                "330500",
                "district",
                "0572-2000002",
            ],
            &[
                "爱山街道派出所",
                "330502001",
                "330500",
                "station",
                "0572-2000001",
            ],
            &["月河派出所", "330502002", "330502", "station", ""],
        ],
    );
    let (ok, out, err) = run(&db_url, &["org", "import", xlsx.to_str().unwrap()]);
    assert!(ok, "{out}{err}");
    assert!(
        out.contains("4 rows (XLSX): 1 created, 1 updated, 2 unchanged, 0 rejected"),
        "{out}"
    );
    let units = stores.org.units().await.unwrap();
    let aishan = units.iter().find(|u| u.id == aishan.id).unwrap();
    assert_eq!(aishan.name, "爱山街道派出所");
    assert_eq!(aishan.parent_id, Some(city.id), "moved under the city");
    assert!(units
        .iter()
        .any(|u| u.name == "月河派出所" && u.parent_id == Some(district.id)));
    assert_eq!(aishan.profile.hours, "8:30-17:30", "absent column kept");
    assert_eq!(aishan.profile.district, "吴兴区");
    // Each change is audited; the unchanged run wrote nothing.
    let trail = stores
        .audit
        .audit_search(&police_square_store::AuditQuery {
            actor: Some("cli:import".into()),
            limit: 100,
            ..Default::default()
        })
        .await
        .unwrap();
    let actions: Vec<&str> = trail
        .iter()
        .filter(|e| e.seq > audit_before.0)
        .map(|e| e.action.as_str())
        .collect();
    assert_eq!(actions, vec!["unit.created", "unit.updated", "unit.moved"]);
    let (ok, out, _) = run(&db_url, &["org", "import", xlsx.to_str().unwrap()]);
    assert!(ok);
    assert!(out.contains("0 created, 0 updated, 4 unchanged"), "{out}");

    // Staff: generated passwords printed once, a given one kept, bad rows reported.
    let staff_csv = dir.join("staff.csv");
    std::fs::write(
        &staff_csv,
        STAFF_CSV.replace(
            "湖州市公安局/吴兴区公安分局/爱山派出所",
            "湖州市公安局/爱山街道派出所",
        ),
    )
    .unwrap();
    let (ok, out, _) = run(&db_url, &["user", "import", staff_csv.to_str().unwrap()]);
    assert!(!ok);
    assert!(
        out.contains("5 rows (UTF-8): 2 created, 0 updated, 0 unchanged, 3 rejected"),
        "{out}"
    );
    assert!(out.contains("row 4, column username:"), "{out}");
    assert!(out.contains("row 5, column role: unknown role"), "{out}");
    assert!(
        out.contains("row 6, column unit: unit `不存在的所`"),
        "{out}"
    );
    let line = out
        .lines()
        .find(|l| l.trim_start().starts_with("admin.hz "))
        .expect("generated password printed");
    let generated = line.split_whitespace().nth(1).unwrap();
    assert!(
        !out.contains("temporary-pass-1"),
        "a given password is not echoed"
    );
    let admin = stores
        .org
        .staff_by_username("admin.hz")
        .await
        .unwrap()
        .unwrap();
    assert_eq!((admin.role, admin.unit_id), (Role::Admin, city.id));
    assert!(verify_password(generated, &admin.password_hash));
    let handler = stores
        .org
        .staff_by_username("handler.aishan")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(handler.unit_id, aishan.id);
    assert!(verify_password("temporary-pass-1", &handler.password_hash));

    // Second run (XLSX, one role changed): one update, passwords untouched.
    let staff_xlsx = dir.join("staff.xlsx");
    write_xlsx(
        &staff_xlsx,
        &[
            &["用户名", "姓名", "角色", "单位"],
            &["admin.hz", "张管理", "admin", "330500"],
            &["handler.aishan", "李民警", "督办", "330502001"],
        ],
    );
    let (ok, out, err) = run(&db_url, &["user", "import", staff_xlsx.to_str().unwrap()]);
    assert!(ok, "{out}{err}");
    assert!(
        out.contains("2 rows (XLSX): 0 created, 1 updated, 1 unchanged, 0 rejected"),
        "{out}"
    );
    assert!(!out.contains("temporary passwords"), "{out}");
    let handler = stores
        .org
        .staff_by_username("handler.aishan")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(handler.role, Role::Supervisor);
    assert!(verify_password("temporary-pass-1", &handler.password_hash));
    let admin_after = stores
        .org
        .staff_by_username("admin.hz")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(admin_after.password_hash, admin.password_hash);

    // A file without the required column names what is missing and imports nothing.
    let bad = dir.join("bad.csv");
    std::fs::write(&bad, "foo,bar\n1,2\n").unwrap();
    let (ok, _, err) = run(&db_url, &["user", "import", bad.to_str().unwrap()]);
    assert!(!ok);
    assert!(err.contains("missing column(s): username"), "{err}");
    let (ok, out, _) = run(&db_url, &["org", "list"]);
    assert!(ok);
    assert!(
        out.contains("330502001") && out.contains("爱山街道派出所"),
        "{out}"
    );
}

#[tokio::test]
async fn sqlite_org_and_user_import() {
    let dir = tempfile::tempdir().unwrap();
    scenario(sqlite_url_in(dir.path()), dir.path()).await;
}

#[tokio::test]
async fn postgres_org_and_user_import() {
    let db = fresh_postgres_db().await;
    let dir = tempfile::tempdir().unwrap();
    scenario(db.url.clone(), dir.path()).await;
}
