"""Seed data. ``demo``: a small, bilingual, realistic service centre.

Two teams (medical devices; printers and electronics), agents and a lead in each, an admin,
customers with Chinese and English names, their products, open tickets, and knowledge articles.
Every demo user's password is ``DEMO_PASSWORD``; the README says so.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

from server_stub.auth import hash_password
from server_stub.feed import bulk_feed_insert, record_change
from server_stub.models import (
    ArticleRow,
    AssetRow,
    CampaignRow,
    ContactRow,
    CustomerRow,
    DispatchRow,
    InteractionRow,
    QueueRow,
    TaskRow,
    TeamRow,
    TicketRow,
    UserRow,
    UserSkillRow,
)
from server_stub.serialize import (
    article_out,
    asset_out,
    campaign_out,
    customer_out,
    dispatch_out,
    queue_out,
    task_out,
    team_out,
    ticket_out,
    user_detail_out,
)
from sync.contract.records import Priority, Role
from sync.contract.rules import EscalationPolicy, centre_day, resolution_deadline
from sync.contract.wallboard import centre_zone

DEMO_PASSWORD = "demo1234"
DEMO_AGENT = "wangfang"

_TEAMS = ("医疗设备热线 Medical Devices", "打印机与电子 Printers & Electronics")

# username, display name, role, team index (None for admin)
_USERS: tuple[tuple[str, str, Role, int | None], ...] = (
    ("wangfang", "王芳", Role.AGENT, 0),
    ("alice", "Alice Chen", Role.AGENT, 0),
    ("zhangwei", "张伟", Role.SUPERVISOR, 0),
    ("lina", "李娜", Role.AGENT, 1),
    ("tom", "Tom Baker", Role.AGENT, 1),
    ("liuyang", "刘洋", Role.SUPERVISOR, 1),
    ("admin", "System Administrator", Role.ADMIN, None),
    # Second-line experts and the on-duty engineer (a handover goes to them).
    ("chenjie", "陈杰 (二线专家)", Role.AGENT, 0),
    ("zhaolei", "赵磊 (二线专家)", Role.AGENT, 1),
    # Field engineers: they report on their dispatches, from the field.
    ("zhanggong", "张工", Role.TECHNICIAN, 0),
    ("zhougong", "周工", Role.TECHNICIAN, 0),
    ("wonggong", "Kelvin Wong", Role.TECHNICIAN, 0),
    ("ligong", "李工", Role.TECHNICIAN, 1),
    ("sungong", "孙工", Role.TECHNICIAN, 1),
)

# Where each person is reached (a consult transfer dials it) and where engineers work.
_EXTENSIONS = {"chenjie": "8101", "zhaolei": "8201", "zhangwei": "8001", "liuyang": "8002"}
_REGIONS = {
    "zhanggong": "北京",
    "zhougong": "上海",
    "wonggong": "Hong Kong",
    "ligong": "杭州",
    "sungong": "成都",
}

# code, name, team, vip, language, address, contacts (name, phone E.164, extension)
_SALUTATIONS = {
    "陈建国": "mr",
    "赵敏": "ms",
    "周丽华": "ms",
    "Dr. Emily Wong": "dr",
    "黄志强": "mr",
    "Michael Lee": "mr",
    "孙磊": "mr",
    "吴静": "ms",
    "Sarah Johnson": "ms",
    "郭晓燕": "ms",
    "刘德明": "mr",
}

_CUSTOMERS: tuple[tuple[str, str, int, bool, str, str, tuple[tuple[str, str, str], ...]], ...] = (
    (
        "C-100001",
        "北京协和医院 设备科",
        0,
        True,
        "zh",
        "北京市东城区帅府园1号",
        (("陈建国", "+861065295114", "2301"), ("赵敏", "+8613800138000", "")),
    ),
    (
        "C-100002",
        "上海瑞金医院 检验科",
        0,
        True,
        "zh",
        "上海市黄浦区瑞金二路197号",
        (("周丽华", "+862164370045", ""),),
    ),
    (
        "C-100003",
        "St. Mary's Clinic",
        0,
        False,
        "en",
        "12 Harbour Road, Wan Chai, Hong Kong",
        (("Dr. Emily Wong", "+85228345678", ""),),
    ),
    (
        "C-100004",
        "广州市第一人民医院",
        0,
        False,
        "zh",
        "广州市越秀区盘福路1号",
        (("黄志强", "+8613922001234", ""),),
    ),
    (
        "C-100005",
        "Harbour Dental Group",
        0,
        False,
        "en",
        "88 Queen's Road Central, Hong Kong",
        (("Michael Lee", "+85291234567", ""),),
    ),
    (
        "C-200001",
        "杭州明德印务有限公司",
        1,
        False,
        "zh",
        "杭州市西湖区文三路90号",
        (("孙磊", "+8613700137000", ""), ("吴静", "+8657188812345", "8")),
    ),
    (
        "C-200002",
        "Acme Logistics (Shenzhen) Ltd.",
        1,
        True,
        "en",
        "Futian District, Shenzhen",
        (("Sarah Johnson", "+8613512345678", ""),),
    ),
    (
        "C-200003",
        "成都天府律师事务所",
        1,
        False,
        "zh",
        "成都市高新区天府大道北段1700号",
        (("郭晓燕", "+8618628001234", ""),),
    ),
    (
        "C-200004",
        "刘德明",
        1,
        False,
        "zh",
        "南京市鼓楼区中山路321号",
        (("刘德明", "+8615951234567", ""),),
    ),
    (
        "C-200005",
        "Greenfield International School",
        1,
        False,
        "en",
        "Chaoyang District, Beijing",
        (("David Miller", "+861084561234", "112"),),
    ),
)

_SKILLS: dict[str, tuple[tuple[str, int], ...]] = {
    "wangfang": (("medical-zh", 5), ("complaints", 3)),
    "alice": (("medical-en", 4), ("medical-zh", 2)),
    "lina": (("printers-zh", 5), ("consumables", 4)),
    "tom": (("printers-en", 4), ("projectors", 3)),
    "chenjie": (("second_line", 5), ("medical-zh", 5), ("on_duty", 1)),
    "zhaolei": (("second_line", 5), ("printers-zh", 5)),
    # Engineers by product line (the dispatch form filters on these).
    "zhanggong": (("Patient Monitors", 5), ("Infusion Pumps", 4), ("Analyzers", 3)),
    "zhougong": (("Analyzers", 5), ("Patient Monitors", 3), ("Ultrasound", 4)),
    "wonggong": (("Patient Monitors", 4), ("Dental Imaging", 5), ("Ultrasound", 3)),
    "ligong": (("Production Printers", 5), ("Office Printers", 4), ("Label Printers", 3)),
    "sungong": (("Office Printers", 4), ("Home Printers", 4), ("Projectors", 5)),
}

# team index, name, script, outcome codes (code, en, zh)
_CAMPAIGNS: tuple[tuple[int, str, str, tuple[tuple[str, str, str], ...]], ...] = (
    (
        0,
        "输液泵使用回访 Infusion pump usage survey",
        "您好，我是医疗设备热线的客服。我们在回访输液泵的使用情况：\n"
        "1. 最近一个月是否出现过报警？\n2. 护士对操作是否熟悉，需要培训吗？\n"
        "3. 耗材（泵管）是否按时更换？\n感谢您的时间。",
        (
            ("no_issue", "No issues", "使用正常"),
            ("needs_training", "Wants training", "需要培训"),
            ("fault_reported", "Reported a fault (ticket)", "报告故障（已建单）"),
            ("not_interested", "Declined the survey", "拒绝回访"),
        ),
    ),
)

_QUEUES = (("医疗设备热线 Medical hotline", 0), ("打印机热线 Printer hotline", 1))
_QUEUE_EXTENSIONS = ("6001", "6002")  # a call transferred to the number joins the queue

_CONSUMABLES: dict[str, list[dict[str, object]]] = {
    "Production Printers": [{"name": "Toner TN-91", "cycle_days": 30, "last_replaced": None}],
    "Office Printers": [{"name": "Toner CF-42", "cycle_days": 90, "last_replaced": None}],
    "Infusion Pumps": [{"name": "Pressure sensor kit", "cycle_days": 365, "last_replaced": None}],
}

# customer index, product line, model, serial, purchase (days ago), warranty (years)
_ASSETS: tuple[tuple[int, str, str, str, int, int], ...] = (
    (0, "Patient Monitors", "PM-8000", "PM8K-2023-004512", 700, 3),
    (0, "Infusion Pumps", "IP-300", "IP3-2021-118833", 1500, 3),
    (1, "Analyzers", "BA-200 Chemistry Analyzer", "BA2-2022-000731", 1000, 5),
    (2, "Patient Monitors", "PM-6000", "PM6K-2020-009921", 1900, 3),
    (3, "Ultrasound", "US-70 Portable", "US70-2024-000342", 300, 2),
    (4, "Dental Imaging", "DX-5 Sensor", "DX5-2023-020202", 600, 2),
    (5, "Production Printers", "PP-9100", "PP91-2022-551100", 900, 3),
    (5, "Office Printers", "LJ-420dn", "LJ42-2023-778812", 500, 1),
    (6, "Label Printers", "ZT-410", "ZT41-2024-100200", 200, 2),
    (7, "Office Printers", "MFP-M528", "M528-2021-300400", 1400, 1),
    (8, "Home Printers", "InkJet 2700", "IJ27-2024-889900", 120, 1),
    (9, "Projectors", "EB-2250U", "EB22-2022-010101", 1100, 3),
)

# customer index, category, priority, status, complaint, summary, content
_TICKETS: tuple[tuple[int, str, str, str, bool, str, str], ...] = (
    (
        0,
        "fault",
        "P1",
        "in_progress",
        False,
        "监护仪血氧读数间歇性丢失",
        "PM-8000 在 ICU 3 床血氧读数每隔几分钟丢失一次，已更换探头无改善。",
    ),
    (
        1,
        "maintenance",
        "P3",
        "new",
        False,
        "BA-200 年度保养预约",
        "客户希望在 12 月第一周安排年度预防性维护。",
    ),
    (
        2,
        "fault",
        "P2",
        "waiting_customer",
        False,
        "PM-6000 alarm volume too low",
        "Nurses report the alarm cannot be heard at the station. Asked for the firmware version.",
    ),
    (
        3,
        "complaint",
        "P1",
        "new",
        True,
        "超声设备维修超时未到场投诉",
        "客户投诉上周报修后工程师两次爽约，要求主管回电。",
    ),
    (
        5,
        "fault",
        "P2",
        "in_progress",
        False,
        "PP-9100 卡纸代码 13.B2",
        "生产打印机频繁卡纸，错误代码 13.B2，影响当天出货。",
    ),
    (
        6,
        "consumables",
        "P3",
        "new",
        False,
        "ZT-410 ribbon supply for Q1",
        "Customer asks for a quote on 200 ribbons and a delivery schedule.",
    ),
    (
        8,
        "complaint",
        "P2",
        "new",
        True,
        "墨盒刚换就提示耗尽",
        "客户称新买的原装墨盒装上即提示墨量不足，怀疑假货，情绪激动。",
    ),
)

# title, body, language, tags, product line
_ARTICLES: tuple[tuple[str, str, str, str, str], ...] = (
    (
        "监护仪血氧(SpO2)读数丢失的排查步骤",
        "1. 检查探头型号是否匹配；2. 检查导联线是否破损；3. 在设置中确认灵敏度为“中”；"
        "4. 若仍丢失，记录序列号并派工程师上门。",
        "zh",
        "SpO2,血氧,探头",
        "Patient Monitors",
    ),
    (
        "Patient monitor: alarm volume too low",
        "Open Menu > Alarm Setup > Volume. The minimum level is set by the biomedical engineer "
        "password. Firmware before 3.2 caps the volume at level 5; upgrade to 3.2 or later.",
        "en",
        "alarm,volume,firmware",
        "Patient Monitors",
    ),
    (
        "打印机卡纸代码 13.B2 处理方法",
        "13.B2 表示定影区域卡纸：关机冷却 10 分钟后打开后盖，沿出纸方向取出纸张；"
        "反复出现时检查定影组件寿命计数。",
        "zh",
        "卡纸,13.B2,定影",
        "Production Printers",
    ),
    (
        "Ink cartridge reported empty right after replacement",
        "Reset the cartridge counter from Settings > Maintenance. If the message persists, check "
        "the security label and collect the cartridge serial for a counterfeit check.",
        "en",
        "ink,cartridge,counterfeit",
        "Home Printers",
    ),
    (
        "输液泵堵塞报警处理",
        "检查管路是否打折、夹子是否关闭、过滤器是否堵塞；处理后按“静音/复位”。",
        "zh",
        "输液泵,堵塞,报警",
        "Infusion Pumps",
    ),
    # The demo knowledge base: the hotline's common questions, in both languages, some with
    # formatted bodies as experts write them.
    (
        "输液泵 E-17 报警（泵门未关紧）",
        "<p><b>E-17</b> 表示泵门检测开关未闭合。</p><ol><li>打开泵门，确认输液器管路完全卡入"
        "导槽；</li><li>用力关紧泵门直至听到“咔嗒”声；</li><li>仍报警时检查门扣是否变形，"
        "记录序列号并派工程师。</li></ol>",
        "zh",
        "输液泵,E-17,报警,泵门",
        "Infusion Pumps",
    ),
    (
        "Infusion pump alarm E-17: door not closed",
        "<p><b>E-17</b> means the door sensor does not see the door closed.</p><ol><li>Open the "
        "door and seat the set fully in the guide;</li><li>close the door firmly until it "
        "clicks;</li><li>if the alarm stays, check the latch for damage and send an engineer."
        "</li></ol>",
        "en",
        "alarm,E-17,door,infusion pump",
        "Infusion Pumps",
    ),
    (
        "输液泵管路气泡报警（Air-in-line）",
        "气泡报警时先夹闭管路，取下输液器排尽气泡后重新安装；频繁报警时确认使用原厂输液器，"
        "并将气泡灵敏度设为“标准”。",
        "zh",
        "输液泵,气泡,报警,输液器",
        "Infusion Pumps",
    ),
    (
        "Infusion pump occlusion alarm downstream",
        "Check that the clamp is open, the line is not kinked and the cannula is patent. Press "
        "Silence, fix the cause, then Restart. Repeated occlusion with a clear line: the "
        "pressure sensor needs calibration by an engineer.",
        "en",
        "occlusion,alarm,pressure",
        "Infusion Pumps",
    ),
    (
        "输液泵电池续航短、提示电量低",
        "电池充满需连接电源 8 小时；续航不足 1 小时说明电池老化，需更换原厂电池（型号 "
        "IP-BAT-3）。更换前确认设备在保修期内。",
        "zh",
        "输液泵,电池,充电",
        "Infusion Pumps",
    ),
    (
        "监护仪无创血压测量失败（袖带漏气）",
        "<ul><li>检查袖带尺寸是否与患者臂围匹配；</li><li>检查袖带和管路是否漏气；</li>"
        "<li>测量时让患者保持安静、手臂与心脏同高。</li></ul>",
        "zh",
        "监护仪,血压,袖带,漏气",
        "Patient Monitors",
    ),
    (
        "Patient monitor ECG shows noise or flat line",
        "Replace dried electrode pads, check the lead wires are clipped firmly and route them "
        "away from power cables. Choose the right filter mode (Monitor) in the ECG menu.",
        "en",
        "ECG,electrode,lead,noise",
        "Patient Monitors",
    ),
    (
        "监护仪黑屏无法开机",
        "确认电源适配器指示灯亮、电源线插紧；拔掉电源按住电源键 10 秒放电后重新开机；"
        "仍黑屏时记录序列号并派工程师。",
        "zh",
        "监护仪,黑屏,开机,电源",
        "Patient Monitors",
    ),
    (
        "生化分析仪试剂位报警与质控失控",
        "质控失控时先停止出报告；检查试剂是否过期、试剂位条码是否可读；重新校准后再做质控，"
        "仍失控请联系应用工程师。",
        "zh",
        "分析仪,试剂,质控,校准",
        "Analyzers",
    ),
    (
        "Chemistry analyzer: calibration failed",
        "Check reagent lot and expiry, run the water blank, then recalibrate. Two failed "
        "calibrations in a row: stop patient testing and call the application specialist.",
        "en",
        "analyzer,calibration,reagent",
        "Analyzers",
    ),
    (
        "便携超声图像发暗、有噪点",
        "调高总增益和 TGC，确认探头频率与检查部位匹配；涂足耦合剂；探头线缆破损时停止使用"
        "并更换探头。",
        "zh",
        "超声,探头,图像,增益",
        "Ultrasound",
    ),
    (
        "Ultrasound probe not recognised",
        "Power off, reseat the probe connector and lock it, then power on. Try another port. "
        "If no port recognises the probe, the probe needs repair.",
        "en",
        "probe,ultrasound,connector",
        "Ultrasound",
    ),
    (
        "Dental sensor not detected over USB",
        "Use the USB port on the computer itself (not a hub), reinstall the sensor driver "
        "version 4.1, and check Device Manager for an unknown device.",
        "en",
        "sensor,USB,driver",
        "Dental Imaging",
    ),
    (
        "Office printer paper jam in tray 2",
        "<p>Pull tray 2 out fully, remove torn paper, and check the pickup roller.</p><p>Fan "
        "the paper before loading; do not fill above the max mark.</p>",
        "en",
        "paper jam,tray,roller",
        "Office Printers",
    ),
    (
        "办公打印机提示碳粉不足但刚换了新硒鼓",
        "取出硒鼓摇匀后重新安装；确认已撕掉封条；在面板“维护 > 耗材”中重置计数；"
        "仍提示时检查硒鼓芯片是否为原装。",
        "zh",
        "硒鼓,碳粉,打印机",
        "Office Printers",
    ),
    (
        "打印机无法连接无线网络",
        "确认路由器为 2.4 GHz 频段；在打印机面板重新运行无线向导并输入密码；"
        "打印网络配置页查看 IP 地址是否获取成功。",
        "zh",
        "打印机,无线,网络,Wi-Fi",
        "Office Printers",
    ),
    (
        "Label printer prints blank labels",
        "Check the ribbon is installed ink side out and matches the label type (thermal "
        "transfer), then run media calibration (hold Feed 2 s).",
        "en",
        "label,ribbon,calibration",
        "Label Printers",
    ),
    (
        "标签打印机打印偏移、跳页",
        "更换标签规格后需执行介质校准：按住进纸键 2 秒；检查标签间隙传感器是否被纸屑遮挡。",
        "zh",
        "标签,校准,跳页",
        "Label Printers",
    ),
    (
        "家用喷墨打印机打印有白线、缺色",
        "在打印机软件中运行“喷头清洗”两次，再打印喷嘴检查页；仍缺色时更换墨盒。"
        "长期不用的打印机每周打印一页可防止喷头堵塞。",
        "zh",
        "喷头,墨盒,清洗",
        "Home Printers",
    ),
    (
        "Projector shows no signal",
        "Press Source to pick the right input, check the HDMI cable, and on a laptop press "
        "Win+P and choose Duplicate.",
        "en",
        "projector,HDMI,signal",
        "Projectors",
    ),
    (
        "投影仪灯泡指示灯闪烁、无法开机",
        "灯泡指示灯橙色闪烁表示灯泡寿命已到或过热：清洁滤网，冷却 30 分钟后开机；"
        "仍闪烁请更换灯泡（ELP-LP97）。",
        "zh",
        "投影仪,灯泡,过热",
        "Projectors",
    ),
)


SEED_LOCK_ID = 7_243_003  # a PostgreSQL advisory lock (the feed's is 7_243_001)


def one_seeder(session: Session) -> None:
    """On PostgreSQL, wait until no other process is seeding (until this session commits):
    instances started together with ``--seed`` seed once; the others find the users there."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": SEED_LOCK_ID})


def seed_demo(session: Session, *, now: datetime) -> bool:
    """Write the demo data unless users already exist. Returns True when it wrote anything."""
    one_seeder(session)
    if session.scalar(select(func.count()).select_from(UserRow)):
        return False
    teams = [TeamRow(name=name, updated_at=now) for name in _TEAMS]
    session.add_all(teams)
    session.flush()
    password_hash = hash_password(DEMO_PASSWORD)  # one hash: argon2 is slow on purpose
    users: dict[str, UserRow] = {}
    for username, display, role, team in _USERS:
        row = UserRow(
            username=username,
            display_name=display,
            password_hash=password_hash,
            role=role.value,
            team_id=teams[team].id if team is not None else None,
            region=_REGIONS.get(username, ""),
            extension=_EXTENSIONS.get(username, ""),
            updated_at=now,
            skills=[
                UserSkillRow(skill=skill, level=level) for skill, level in _SKILLS.get(username, ())
            ],
        )
        users[username] = row
        session.add(row)
    session.flush()
    teams[0].lead_id = users["zhangwei"].id
    teams[1].lead_id = users["liuyang"].id

    customers: list[CustomerRow] = []
    for code, name, team, vip, language, address, contacts in _CUSTOMERS:
        customer = CustomerRow(
            code=code,
            name=name,
            team_id=teams[team].id,
            vip=vip,
            segment="key_account" if vip else "standard",
            language=language,
            address=address,
            updated_at=now,
        )
        session.add(customer)
        session.flush()
        customers.append(customer)
        for contact_name, phone, ext in contacts:
            session.add(
                ContactRow(
                    customer_id=customer.id,
                    name=contact_name,
                    phone_e164=phone,
                    extension=ext,
                    salutation=_SALUTATIONS.get(contact_name, ""),
                )
            )
    today = now.date()
    assets: list[AssetRow] = []
    for cust, line, model, serial, age_days, years in _ASSETS:
        bought = today - timedelta(days=age_days)
        assets.append(
            AssetRow(
                customer_id=customers[cust].id,
                team_id=customers[cust].team_id,
                product_line=line,
                model=model,
                serial_number=serial,
                purchase_date=bought,
                warranty_end=date(bought.year + years, bought.month, min(bought.day, 28)),
                consumables=_CONSUMABLES.get(line, []),
                updated_at=now,
            )
        )
    session.add_all(assets)
    session.flush()
    handlers = {0: users["wangfang"], 1: users["lina"]}
    policy = EscalationPolicy()
    tickets: list[TicketRow] = []
    for n, (cust, category, priority, status, complaint, summary, content) in enumerate(_TICKETS):
        customer = customers[cust]
        team_index = _CUSTOMERS[cust][2]
        opened = now - timedelta(hours=3 * (n + 1))
        asset = _TICKET_ASSETS.get(n)
        tickets.append(
            TicketRow(
                number=f"SR-{centre_day(now):%Y%m}-{n + 1:05d}",
                customer_id=customer.id,
                team_id=customer.team_id,
                handler_id=handlers[team_index].id,
                channel="phone",
                category=category,
                priority=priority,
                status=status,
                complaint=complaint,
                summary=summary,
                content=content,
                opened_at=now - timedelta(hours=3 * (n + 1)),
                updated_at=now,
                sla_since=(now - timedelta(hours=3 * (n + 1))) if complaint else None,
                sla_due_at=policy.deadline(category, now - timedelta(hours=3 * (n + 1)))
                if complaint
                else None,
                resolve_due_at=resolution_deadline(Priority(priority), opened),
                asset_id=assets[asset].id if asset is not None else None,
                contact_id=customer.contacts[0].id if customer.contacts else None,
            )
        )
    session.add_all(tickets)
    session.flush()
    _seed_field_work(session, now, teams, users, customers, tickets)
    for title, body, language, tags, line in _ARTICLES:
        session.add(
            ArticleRow(
                title=title,
                body=body,
                language=language,
                tags=tags.split(","),
                product_lines=[line],
                status="published",
                author_id=users["zhangwei"].id,
                updated_at=now,
            )
        )
    for index, (name, team) in enumerate(_QUEUES):
        session.add(
            QueueRow(
                name=name,
                team_id=teams[team].id,
                # Nobody waits until a call rings: a seeded "1 waiting, longest 0:35" sat on
                # the demo board for hours as if a caller were stuck (issue 19).
                waiting=0,
                longest_wait_s=0,
                answered_today=120 + index * 40,
                abandoned_today=3 + index,
                extension=_QUEUE_EXTENSIONS[index],
                updated_at=now,
            )
        )
    session.flush()
    _seed_call_history(session, now, teams[0].id, [users["wangfang"].id, users["alice"].id])
    _feed_everything(session, now)
    session.commit()
    return True


# Calls offered per 15 minutes by hour of the centre's day (08:00-20:00), and by weekday: a
# morning peak, a lunch dip, a smaller afternoon peak; weekends quieter.
# Calls per 15 minutes by the centre's hour: a 24x7 hotline, so a demo at 03:00 shows a
# night shift's trickle rather than an empty board.
_HOURLY_CALLS = {0: 0.6, 1: 0.45, 2: 0.35, 3: 0.3, 4: 0.3, 5: 0.4, 6: 0.7,
                 7: 1.2, 8: 2.0, 9: 4.5, 10: 5.5, 11: 4.5, 12: 2.5, 13: 3.0, 14: 4.5,
                 15: 4.0, 16: 3.5, 17: 2.5, 18: 1.5, 19: 1.0, 20: 0.9, 21: 0.8,
                 22: 0.7, 23: 0.6}  # fmt: skip
_WEEKDAY_FACTOR = (1.25, 1.1, 1.0, 1.0, 0.95, 0.5, 0.3)
HISTORY_DAYS = 35  # five weeks: the forecast's four plus a week to measure its error on


def _seed_call_history(session: Session, now: datetime, team_id: int, agents: list[int]) -> None:
    """Five weeks of the medical team's calls, and today's so far, for the wallboard's charts
    and forecast: deterministic (a seeded generator), anonymous (no customer: queue traffic,
    not the demo customers' history) and kept out of the change feed, so desks do not
    download thousands of rows at their first sign-in; the lead's board asks the server."""
    rng = random.Random(20_261_102)
    zone = centre_zone()
    queue = _QUEUES[0][0]
    today = now.astimezone(zone).date()
    rows: list[dict[str, Any]] = []
    for back in range(HISTORY_DAYS, -1, -1):
        day = today - timedelta(days=back)
        factor = _WEEKDAY_FACTOR[day.weekday()]
        for hour, per_interval in _HOURLY_CALLS.items():
            for quarter in range(4):
                begins = datetime.combine(day, time(hour, 15 * quarter), zone)
                mean = per_interval * factor
                # Poisson arrivals, by counting exponential gaps inside the interval.
                count, clock = 0, rng.expovariate(mean)
                while clock < 1.0:
                    count, clock = count + 1, clock + rng.expovariate(mean)
                for _ in range(count):
                    started = begins + timedelta(seconds=rng.uniform(0, 900))
                    call = _history_call(rng, started, team_id, agents, queue, now)
                    if call is not None:  # over by now (a call still going has no record)
                        rows.append(call)
    if rows:
        session.execute(insert(InteractionRow), rows)


def _history_call(
    rng: random.Random,
    started: datetime,
    team_id: int,
    agents: list[int],
    queue: str,
    now: datetime,
) -> dict[str, Any] | None:
    started = started.astimezone(UTC)
    wait = rng.expovariate(1 / 11)  # about 84 % answered within 20 s
    abandoned = rng.random() < 0.05
    talk = max(30, int(rng.gauss(230, 90)))
    hold = int(rng.expovariate(1 / 40)) if rng.random() < 0.2 else 0
    answered = None if abandoned else started + timedelta(seconds=wait)
    ended = started + timedelta(seconds=wait + (0 if abandoned else talk + hold))
    if ended > now:
        return None
    return {
        "customer_id": None,
        "team_id": team_id,
        "agent_id": rng.choice(agents),
        "kind": "call_in",
        "started_at": started,
        "answered_at": answered,
        "ended_at": ended,
        "talk_s": 0 if abandoned else talk,
        "hold_s": 0 if abandoned else hold,
        "queue": queue,
        "remote_number": "",
        "disposition": "abandoned" if abandoned else "resolved",
        "notes": "",
        "ticket_ids": [],
        "version": 1,
        "updated_at": now,
    }


# ticket index -> asset index: the product each seeded ticket is about
_TICKET_ASSETS = {0: 0, 2: 3, 3: 4, 4: 6, 5: 8, 6: 10}


def _seed_field_work(
    session: Session,
    now: datetime,
    teams: list[TeamRow],
    users: dict[str, UserRow],
    customers: list[CustomerRow],
    tickets: list[TicketRow],
) -> None:
    """A planned visit, a callback due today and a running campaign, so every list has work."""
    tomorrow = (now + timedelta(days=1)).replace(hour=1, minute=0, second=0, microsecond=0)
    engineer = users["zhanggong"]
    session.add(
        DispatchRow(
            ticket_id=tickets[0].id,
            team_id=tickets[0].team_id,
            technician=engineer.display_name,
            technician_id=engineer.id,
            window_start=tomorrow,
            window_end=tomorrow + timedelta(hours=3),
            method="on_site",
            status="planned",
            address=customers[0].address,
            contact_name=customers[0].contacts[0].name,
            contact_phone=customers[0].contacts[0].phone_e164,
            notes="ICU 3 床，携带备用探头",
            updated_at=now,
        )
    )
    session.add(
        TaskRow(
            kind="callback",
            customer_id=customers[2].id,
            ticket_id=tickets[2].id,
            team_id=teams[0].id,
            assignee_id=users["wangfang"].id,
            due_at=now + timedelta(hours=1),
            status="open",
            notes="Call back with the firmware upgrade steps",
            updated_at=now,
        )
    )
    for team, name, script, codes in _CAMPAIGNS:
        campaign = CampaignRow(
            team_id=teams[team].id,
            name=name,
            script=script,
            outcome_codes=[{"code": c, "en": en, "zh": zh} for c, en, zh in codes],
            updated_at=now,
        )
        session.add(campaign)
        session.flush()
        members = [c for c in customers if c.team_id == teams[team].id][:4]
        for n, customer in enumerate(members):
            session.add(
                TaskRow(
                    kind="proactive",
                    customer_id=customer.id,
                    team_id=customer.team_id,
                    assignee_id=users["wangfang"].id,
                    due_at=now + timedelta(hours=2 + n),
                    status="open",
                    campaign_id=campaign.id,
                    notes=name,
                    updated_at=now,
                )
            )
    session.flush()


def _feed_everything(session: Session, now: datetime) -> None:
    """Seeded records enter the change feed like any other write: a first pull gets them."""
    for team in session.scalars(select(TeamRow)):
        record_change(session, "team", team_out(team), team_id=team.id, now=now)
    for user in session.scalars(select(UserRow)):
        record_change(session, "user", user_detail_out(user), team_id=user.team_id, now=now)
    for customer in session.scalars(select(CustomerRow)):
        record_change(
            session, "customer", customer_out(customer), team_id=customer.team_id, now=now
        )
    for asset in session.scalars(select(AssetRow)):
        record_change(session, "asset", asset_out(asset), team_id=asset.team_id, now=now)
    for ticket in session.scalars(select(TicketRow)):
        record_change(session, "ticket", ticket_out(ticket), team_id=ticket.team_id, now=now)
    for dispatch in session.scalars(select(DispatchRow)):
        record_change(
            session, "dispatch", dispatch_out(dispatch), team_id=dispatch.team_id, now=now
        )
    for task in session.scalars(select(TaskRow)):
        record_change(session, "task", task_out(task), team_id=task.team_id, now=now)
    for campaign in session.scalars(select(CampaignRow)):
        record_change(
            session, "campaign", campaign_out(campaign), team_id=campaign.team_id, now=now
        )
    for article in session.scalars(select(ArticleRow)):
        record_change(session, "article", article_out(article), team_id=None, now=now)
    for queue in session.scalars(select(QueueRow)):
        record_change(session, "queue", queue_out(queue), team_id=queue.team_id, now=now)


_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
_GIVEN = ("伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明")
_FIRST = ("James", "Mary", "John", "Linda", "David", "Susan", "Peter", "Grace", "Kevin", "Amy")
_LAST = ("Smith", "Wong", "Chan", "Lee", "Brown", "Taylor", "Ng", "Cheung", "Lam", "Ho")


def scale_customer(index: int, team_id: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """The n-th generated customer and its contact (deterministic, bilingual)."""
    if index % 3:
        name = _SURNAMES[index % 20] + _GIVEN[index // 20 % 15] + _GIVEN[index // 300 % 15]
        language = "zh"
    else:
        name = f"{_FIRST[index % 10]} {_LAST[index // 10 % 10]}"
        language = "en"
    phone = f"+86{13_000_000_000 + index}"  # valid mobile numbers, 130… upwards, unique
    customer = {
        "code": f"S-{index:07d}",
        "name": name,
        "team_id": team_id,
        "segment": "standard",
        "vip": index % 97 == 0,
        "language": language,
        "preferred_channel": "phone",
        "do_not_contact_by": [],
        "address": "",
        "notes": "",
    }
    contact = {"name": name, "phone_e164": phone, "extension": "", "email": "", "kind": "mobile"}
    return customer, contact


def _scale_interactions(
    customers: list[dict[str, Any]], agents: dict[int, int], per_customer: int, now: datetime
) -> list[dict[str, Any]]:
    """Past calls of generated customers."""
    rows: list[dict[str, Any]] = []
    for customer in customers:
        for n in range(per_customer):
            started = now - timedelta(days=3 * n + 1, minutes=customer["id"] % 600)
            rows.append(
                {
                    "customer_id": customer["id"],
                    "team_id": customer["team_id"],
                    "agent_id": agents[customer["team_id"]],
                    "kind": "call_in" if n % 3 else "call_out",
                    "started_at": started,
                    "ended_at": started + timedelta(seconds=180 + customer["id"] % 240),
                    "queue": "",
                    "remote_number": "",
                    "disposition": ("resolved", "callback", "dispatch")[n % 3],
                    "notes": "",
                    "ticket_ids": [],
                    "version": 1,
                    "updated_at": now,
                }
            )
    return rows


def seed_scale(
    session: Session,
    customers: int,
    *,
    interactions_per_customer: int = 0,
    batch: int = 20_000,
    now: datetime,
) -> int:
    """Add ``customers`` generated customers (after the demo data), and as many past calls
    each as asked, in batches, through SQLAlchemy Core bulk inserts, each with its change-feed
    row. Returns how many customers were added."""
    seed_demo(session, now=now)
    teams = list(session.scalars(select(TeamRow.id).order_by(TeamRow.id)))
    agents = {
        team: int(
            session.scalar(select(UserRow.id).where(UserRow.team_id == team).order_by(UserRow.id))
            or 0
        )
        for team in teams
    }
    start = int(session.scalar(select(func.count()).select_from(CustomerRow)) or 0)
    first_id = int(session.scalar(select(func.max(CustomerRow.id))) or 0) + 1
    done = 0
    while done < customers:
        size = min(batch, customers - done)
        rows, contacts, changes = [], [], []
        for offset in range(size):
            index = start + done + offset
            record_id = first_id + done + offset
            customer, contact = scale_customer(index, teams[index % len(teams)])
            rows.append({"id": record_id, **customer, "version": 1, "updated_at": now})
            contacts.append({"customer_id": record_id, **contact})
            data = {
                **customer,
                "id": record_id,
                "version": 1,
                "updated_at": now.isoformat().replace("+00:00", "Z"),
                "contacts": [{"id": 0, **contact}],
            }
            changes.append(
                {
                    "entity": "customer",
                    "entity_id": record_id,
                    "team_id": customer["team_id"],
                    "user_id": None,
                    "op": "upsert",
                    "version": 1,
                    "data": data,
                    "at": now,
                }
            )
        session.execute(insert(CustomerRow), rows)
        session.execute(insert(ContactRow), contacts)
        session.execute(bulk_feed_insert(session), changes)
        if interactions_per_customer:
            calls = _scale_interactions(rows, agents, interactions_per_customer, now)
            ids = session.execute(
                insert(InteractionRow).returning(InteractionRow.id, sort_by_parameter_order=True),
                calls,
            )
            stamp = now.isoformat().replace("+00:00", "Z")
            feed = [
                {
                    "entity": "interaction",
                    "entity_id": call_id,
                    "team_id": call["team_id"],
                    "user_id": None,
                    "op": "upsert",
                    "version": 1,
                    "data": {
                        **{k: v for k, v in call.items() if k not in ("started_at", "ended_at")},
                        "id": call_id,
                        "started_at": call["started_at"].isoformat().replace("+00:00", "Z"),
                        "ended_at": call["ended_at"].isoformat().replace("+00:00", "Z"),
                        "updated_at": stamp,
                    },
                    "at": now,
                }
                for call_id, call in zip(ids.scalars(), calls, strict=True)
            ]
            session.execute(bulk_feed_insert(session), feed)
        session.commit()
        done += size
    if session.get_bind().dialect.name == "postgresql":
        # Explicit ids were inserted: move the sequence past them.
        session.execute(
            text(
                "SELECT setval(pg_get_serial_sequence('customers', 'id'), "
                "(SELECT max(id) FROM customers))"
            )
        )
        session.commit()
    return done
