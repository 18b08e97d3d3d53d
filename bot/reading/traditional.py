"""Traditional Chinese characters → simplified, for the characters of the words the bot
knows: text is converted before it is read (美國 → 美国), and so are the names the bot matches
it against (pycountry's traditional country names, 俄羅斯聯邦 → 俄罗斯联邦). A character not
here is left as typed; a material's traditional name (鎵) is among its words instead
(``data/series/*.toml``).
"""

from __future__ import annotations

_TRADITIONAL_PAIRS = (
    "國国 韓韩 歐欧 東东 圖图 總总 結结 對对 與与 個个 幾几 後后 "
    "這这 麼么 嗎吗 額额 噸吨 鐵铁 價价 據据 較较 們们 貿贸 兩两 "
    "來来 時时 間间 頭头 還还 義义 蘭兰 亞亚 爾尔 馬马 賓宾 臺台 "
    "灣湾 過过 於于 進进 張张 勢势 統统 計计 麥麦 聯联 萬万 億亿 "
    "條条 記记 錄录 說说 關关 區区 詢询 顯显 訴诉 場场 買买 簡简 "
    "報报 歲岁 當当 為为 從从 麗丽 體体 數数 請请 給给 問问 們们 "
    "羅罗 屬属 減减 漲涨 變变 種种 礦矿 產产 剛刚 內内 紐纽"
)
#: Traditional characters that occur in the words the bot knows → their simplified form.
TRADITIONAL = str.maketrans({pair[0]: pair[1] for pair in _TRADITIONAL_PAIRS.split()})
