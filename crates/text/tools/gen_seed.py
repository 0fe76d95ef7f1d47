# -*- coding: utf-8 -*-
"""Generate crates/text/data/seed-train.jsonl from the hand-written blocks in
seed_lexicon.py. Deterministic (fixed RNG seed): rerun after editing blocks.

    python3 crates/text/tools/gen_seed.py > crates/text/data/seed-train.jsonl
"""
import json
import random
import re
import sys
import os

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from seed_lexicon import CATS, DISTRICTS, SPOTS  # noqa: E402
import seed_extra as X  # noqa: E402
import seed_more as M  # noqa: E402
import seed_local as L  # noqa: E402

for _cat, _more in list(X.MORE.items()) + list(M.MORE.items()) + list(L.MORE.items()):
    CATS[_cat]["core"] = CATS[_cat]["core"] + _more
CATS["other"]["urgent"] = CATS["other"]["urgent"] + M.CATS_OTHER_URGENT
CATS["missing_person"]["urgent"] = CATS["missing_person"]["urgent"] + L.URGENT_MISSING
X.CONDUCT_CONTEXT += L.CONDUCT_CONTEXT
X.CONDUCT_BAD += L.CONDUCT_BAD
X.NONPOLICE_PROBLEM += L.NONPOLICE_PROBLEM
X.NONPOLICE_ASK += L.NONPOLICE_ASK
for _cat, _more in M.EXTRA.items():
    CATS[_cat]["extra"] = CATS[_cat]["extra"] + _more
for _cat, _more in M.ASK.items():
    CATS[_cat]["ask"] = CATS[_cat]["ask"] + _more

R = random.Random(int(os.environ.get("SEED_RNG", "20260601")))
PER_CATEGORY = 600
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡沈钱姚潘"
EMOJI_NEG = ["😤", "😡", "🤬", "😭", "😰", "🙄", "😷", "😣", "😨", ""]
EMOJI_POS = ["👍", "🙏", "😊", "❤️", ""]
FILLERS = ["我跟你讲，", "那个，", "就是，", "我问一下啊，", "我跟你说啊，", "", "是这样的，", "你好啊，"]
DIALECT = ["晓得伐", "老作孽的", "真当", "弄不灵清", "好伐", ""]


def place():
    d = R.choice(list(DISTRICTS))
    town = R.choice(DISTRICTS[d])
    spot = R.choice(SPOTS)
    style = R.random()
    if style < 0.4:
        p = town + spot
    elif style < 0.7:
        p = spot
    elif style < 0.9:
        p = town
    else:
        p = d[:2] + town[:2]
    return d, p


def conduct_core():
    ctx = R.choice(X.CONDUCT_CONTEXT)
    who = R.choice(X.CONDUCT_WHO)
    if R.random() < 0.8:
        what, ask = R.choice(X.CONDUCT_BAD), R.choice(X.CONDUCT_BAD_ASK)
    else:
        what, ask = R.choice(X.CONDUCT_GOOD), R.choice(X.CONDUCT_GOOD_ASK)
    style = R.random()
    if style < 0.5:
        return f"{ctx}，{who}{what}，{ask}"
    if style < 0.8:
        return f"{who}{what}。{ctx}的时候碰到的，{ask}"
    return f"{who}{what}，{ask}"


def nonpolice_core():
    prob = R.choice(X.NONPOLICE_PROBLEM)
    tried = R.choice(X.NONPOLICE_TRIED)
    ask = R.choice(X.NONPOLICE_ASK)
    return "，".join(x for x in (prob, tried, ask) if x)


COMPOSE = {"conduct": (conduct_core, 0.55), "non_police": (nonpolice_core, 0.45)}


def pick_core(cat, blocks):
    if cat in COMPOSE and R.random() < COMPOSE[cat][1]:
        return COMPOSE[cat][0](), True
    core = R.choice(blocks["core"])
    # Residents often tell two things about the same matter.
    if R.random() < 0.15:
        core = core + "，" + R.choice(blocks["core"])
    return core, False


def tidy(s):
    # Empty parts leave doubled punctuation behind: collapse it.
    s = re.sub(r"[，。]*。[，。]*", "。", s)
    s = re.sub(r"，+", "，", s)
    s = s.replace("：。", "：").replace("，！", "！").replace("。！", "！")
    return s.strip("，")


def neutral_frame(core, extra, ask, p):
    """A category-neutral frame (liaison note, visit record, letter, post)."""
    f = R.choice(M.FRAMES)
    ch = "liaison" if ("反映" in f or "走访" in f) else R.choice(["talk", "mailbox", "hotline", "wechat", "sms", "web"])
    t = f.format(core=core, extra=extra, ask=ask, p=p, n=R.choice(SURNAMES), sex=R.choice(["男", "女"]), age=R.randint(18, 85))
    return ch, tidy(t)


def solved_thanks(cat, p):
    matter, solved, thanks = M.SOLVED[cat]
    t = R.choice([
        "{m}，{s}，{k}！",
        "来访人{n}某专程来表达感谢：{m}，{s}。{k}。",
        "@湖州公安 {m}，{s}，{k}👍",
        "尊敬的局长：我是{p}的，{m}，{s}，{k}。",
    ]).format(m=R.choice(matter), s=R.choice(solved), k=R.choice(thanks), n=R.choice(SURNAMES), p=p)
    return R.choice(["mailbox", "wechat", "talk", "hotline"]), tidy(t)


def suggestion(cat, p):
    s = R.choice(M.SUGGEST[cat])
    t = R.choice(M.SUGGEST_FRAMES).format(s=s, p=p, why=R.choice(M.SUGGEST_WHY))
    return R.choice(["mailbox", "web", "wechat", "talk"]), tidy(t)


def frame(core, extra, ask, p, cat, urgent):
    ch = R.choice(["hotline", "sms", "wechat", "weibo", "mailbox", "liaison", "talk", "web"])
    if not urgent and R.random() < 0.3:
        return neutral_frame(core, extra, ask, p)
    if urgent:
        ch = R.choice(["hotline", "hotline", "wechat", "sms"])
        opener = R.choice(["喂，喂！", "喂110吗，", "快点快点，", "喂，你好，", "救命啊，"])
        return ch, tidy(f"{opener}我在{p}这边，{core}！{R.choice(['快点', '求求你们快点', '快快快', ''])}")
    if cat in ("conduct",) and ("感谢" in core or "谢" in core or "表扬" in core or "点赞" in core):
        emo = R.choice(EMOJI_POS)
    else:
        emo = R.choice(EMOJI_NEG)
    n = R.choice(SURNAMES)
    if R.random() < 0.08:
        t = f"{R.choice(X.ELDERLY_OPEN)}我住在{p}，{core}，{extra}。{R.choice(X.DIALECT_WORDS)}，{ask}。"
    elif R.random() < 0.05:
        t = f"【12345转办】市民来电反映：{core}。{extra}。诉求：{ask}。"
    elif ch == "hotline":
        t = f"喂，你好，{R.choice(FILLERS)}我是{p}的，{core}，{extra}，{ask}。{R.choice(DIALECT)}"
    elif ch == "sms":
        t = f"{p} {core} {ask}" if R.random() < 0.6 else f"{core}"
    elif ch in ("wechat", "weibo"):
        tag = R.choice(["", "@湖州公安 ", "#湖州# ", "@平安湖州 "])
        t = f"{tag}{p}{core}{emo} {extra}{R.choice(['！！', '…', '。', ''])}{ask}{R.choice(['?', '？', '🙏', ''])}"
        if R.random() < 0.3:
            t += R.choice(X.WECHAT_TAIL)
    elif ch == "mailbox":
        t = f"尊敬的局长：您好！我是{p}的居民。{core}。{extra}。{ask}。此致敬礼！"
    elif ch == "liaison":
        who = R.choice(["网格员", "村联络员", "社区联络员", "治保主任", "平安志愿者"])
        t = f"{p}{who}反映：{core}。{extra}。{ask}。"
    elif ch == "talk":
        sex = R.choice(["男", "女"])
        age = R.randint(20, 80)
        done = R.choice(["已登记", "已告知相关规定", "已转相关部门", "民警已记录", "已指引其到窗口办理"])
        t = f"来访人{n}某（{sex}，{age}岁）称：{core}，{extra}。{done}。"
    else:
        t = f"{core}。{extra}。地点：{p}。{ask}。"
    return ch, tidy(t)


def typo(t):
    # Residents' typing slips: homophones and dropped punctuation.
    swaps = [("在", "再"), ("的", "地"), ("已经", "以经"), ("派出所", "派处所"), ("电瓶车", "电平车"), ("怎么", "咋")]
    if R.random() < 0.15:
        a, b = R.choice(swaps)
        t = t.replace(a, b, 1)
    if R.random() < 0.1:
        t = t.replace("，", " ")
    return t


def main():
    seen = set()
    n = 0
    for cat, blocks in CATS.items():
        made = 0
        tries = 0
        while made < PER_CATEGORY and tries < PER_CATEGORY * 20:
            tries += 1
            urgent = blocks["urgent"] and R.random() < 0.06
            if urgent:
                core, composed = R.choice(blocks["urgent"]), False
            else:
                core, composed = pick_core(cat, blocks)
            d, p = place()
            # A composed core already carries its own request.
            extra = R.choice(blocks["extra"]) if not composed or R.random() < 0.3 else ""
            if not urgent and cat in X.POLICE_MENTION and R.random() < 0.2:
                extra = R.choice(X.POLICE_MENTION[cat])
            ask = R.choice(blocks["ask"]) if not composed else ""
            if not urgent and cat in M.SOLVED and R.random() < 0.06:
                ch, text = solved_thanks(cat, p)
            elif not urgent and R.random() < 0.05:
                ch, text = suggestion(cat, p)
            else:
                ch, text = frame(core, extra, ask, p, cat, urgent)
            text = typo(text)
            if text in seen:
                continue
            seen.add(text)
            made += 1
            n += 1
            row = {
                "id": f"seed-{n:05d}",
                "text": text,
                "channel": ch,
                "category": cat,
                "urgency": "emergency" if urgent else "normal",
                "district": d,
            }
            print(json.dumps(row, ensure_ascii=False))


if __name__ == "__main__":
    main()
