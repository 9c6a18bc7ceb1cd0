"""Three real liquidation events and the figures published about them, each with its source.

Every figure is either one value or a ``(low, high)`` range, with its unit, what it
measures, the sources it comes from (title, URL, date read) and whether it is an
*estimate* (a guess at something nobody reported completely) rather than a reported
count.  Where sources disagree the range spans them and the note says which source gave
which bound.  Nothing here is computed: these are the numbers as published, read with the
project's search tool on the date given (``DATE_READ``).

Reported liquidation totals are incomplete by construction: aggregators add up what the
venues publish, and Binance's public liquidation stream pushes at most one liquidation
order per symbol per second (:data:`SOURCES` ``binance_force_order``).  A total is a floor,
and two aggregators covering different venues and windows report different floors.

>>> ev = EVENTS["2025-10-10"]
>>> f = ev.figure("total_liquidations")
>>> f.low < f.high, f.unit
(True, 'USD')
>>> ev.figure("true_total_estimate").estimate
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

__all__ = ["DATE_READ", "KINDS", "MECHANISMS", "Source", "Figure", "Event", "SOURCES", "EVENTS",
           "get", "source"]

#: The day every source below was read (with the search tool's stored copy).
DATE_READ = "2026-12-01"

#: What a source is: the venue's own word, a data or research firm's analysis, or the press.
KINDS = ("venue", "research", "press")

#: The waterfall steps of the earlier chapters, with the label of the chapter that teaches each.
MECHANISMS: dict[str, str] = {
    "mark price": "mark_price",
    "order book": "order_books",
    "partial liquidation": "tiers_partial",
    "insurance fund": "insurance_fund",
    "auto-deleveraging": "auto_deleveraging",
    "cascade": "cascades",
}

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Source:
    """Where a figure was read: ``key`` is its entry in ``book/references.bib``."""

    key: str
    title: str
    publisher: str
    url: str
    kind: str
    date_read: str = DATE_READ
    note: str = ""

    def __post_init__(self) -> None:
        for name in ("key", "title", "publisher"):
            if not getattr(self, name).strip():
                raise ValueError(f"source {self.key!r}: {name} must not be empty")
        if not self.url.startswith(("https://", "http://")):
            raise ValueError(f"source {self.key!r}: url must start with https:// or http://; "
                             f"got {self.url!r}")
        if self.kind not in KINDS:
            raise ValueError(f"source {self.key!r}: kind must be one of {KINDS}; got {self.kind!r}")
        if not _ISO_DATE.match(self.date_read):
            raise ValueError(f"source {self.key!r}: date_read must be YYYY-MM-DD; "
                             f"got {self.date_read!r}")


@dataclass(frozen=True)
class Figure:
    """One published figure: ``value`` is a number or an ordered ``(low, high)`` range."""

    name: str
    value: float | tuple[float, float]
    unit: str
    measures: str
    sources: tuple[str, ...]
    estimate: bool = False
    note: str = ""

    def __post_init__(self) -> None:
        if isinstance(self.value, tuple):
            if len(self.value) != 2 or not self.value[0] < self.value[1]:
                raise ValueError(f"figure {self.name!r}: a range must be (low, high) with "
                                 f"low < high; got {self.value!r}")
        if not all(x >= 0 for x in self.bounds):
            raise ValueError(f"figure {self.name!r}: values must be >= 0; got {self.value!r}")
        if not self.sources:
            raise ValueError(f"figure {self.name!r}: at least one source is required")
        unknown = [k for k in self.sources if k not in SOURCES]
        if unknown:
            raise ValueError(f"figure {self.name!r}: unknown source {unknown[0]!r}")
        if not self.unit or not self.measures:
            raise ValueError(f"figure {self.name!r}: unit and measures must not be empty")

    @property
    def is_range(self) -> bool:
        return isinstance(self.value, tuple)

    @property
    def bounds(self) -> tuple[float, float]:
        """``(low, high)``; both equal the value for a single figure."""
        if isinstance(self.value, tuple):
            return float(self.value[0]), float(self.value[1])
        return float(self.value), float(self.value)

    @property
    def low(self) -> float:
        return self.bounds[0]

    @property
    def high(self) -> float:
        return self.bounds[1]

    @property
    def mid(self) -> float:
        """The middle of the range (the value itself for a single figure)."""
        return (self.low + self.high) / 2

    def formatted(self) -> str:
        """The value as printed in the book's tables: ``low – high`` for a range."""
        def one(x: float) -> str:
            if self.unit == "fraction":
                return f"{x:.0%}"
            if x >= 1e9:
                return f"{x / 1e9:,.2f} bn"
            if x >= 1e6:
                return f"{x / 1e6:,.0f} m"
            return f"{x:,.2f}".rstrip("0").rstrip(".") if x % 1 else f"{x:,.0f}"
        lo, hi = self.bounds
        return one(lo) if not self.is_range else f"{one(lo)} – {one(hi)}"


@dataclass(frozen=True)
class Event:
    """A liquidation event: its figures, the mechanisms that acted, and its sources."""

    key: str
    title: str
    dates: str
    summary: str
    figures: tuple[Figure, ...]
    mechanisms: tuple[str, ...]
    reporting: str

    def __post_init__(self) -> None:
        names = [f.name for f in self.figures]
        if len(set(names)) != len(names):
            raise ValueError(f"event {self.key!r}: figure names must be unique")
        bad = [m for m in self.mechanisms if m not in MECHANISMS]
        if bad:
            raise ValueError(f"event {self.key!r}: mechanism must be one of "
                             f"{tuple(MECHANISMS)}; got {bad[0]!r}")

    def figure(self, name: str) -> Figure:
        for f in self.figures:
            if f.name == name:
                return f
        raise ValueError(f"event {self.key!r} has no figure {name!r}; "
                         f"known: {', '.join(f.name for f in self.figures)}")

    def sources(self) -> list[Source]:
        """The event's sources, each once, in the order the figures cite them."""
        keys: list[str] = []
        for f in self.figures:
            keys += [k for k in f.sources if k not in keys]
        return [SOURCES[k] for k in keys]

    def markdown(self) -> str:
        """The figures as a Markdown table; the source cells link to the sources."""
        lines = ["| what it measures | value | unit | estimate? | source (read "
                 f"{DATE_READ}) |", "|---|---:|---|---|---|"]
        for f in self.figures:
            links = "; ".join(f"[{SOURCES[k].publisher}]({SOURCES[k].url})" for k in f.sources)
            lines.append(f"| {f.measures} | {f.formatted()} | {f.unit} | "
                         f"{'estimate' if f.estimate else 'reported'} | {links} |")
        return "\n".join(lines)


def _s(key: str, title: str, publisher: str, url: str, kind: str, note: str = "") -> Source:
    return Source(key, title, publisher, url, kind, DATE_READ, note)


#: Every source the figures cite, by its ``book/references.bib`` key.
SOURCES: dict[str, Source] = {s.key: s for s in (
    # ---- 12-13 March 2020
    _s("bitmex_if_2020", "BitMEX Insurance Fund: Your Questions Answered", "BitMEX blog",
       "https://blog.bitmex.com/bitmex-insurance-fund-your-questions-answered/", "venue",
       "23 March 2020; says ADL was completely prevented on 12 and 13 March"),
    _s("maepondjit_if_2020", "BitMEX: The insurance fund has coped with its task during the "
       "collapse", "Maepondjit (summary of the BitMEX post)",
       "https://maepondjit.com/bitmex-the-insurance-fund-has-coped-with-its-task/", "press",
       "a secondary summary; the 2,606 and 5,652 XBT figures are read here, attributed to BitMEX"),
    _s("bitmex_ddos_2020", "How We Are Responding to Last Week's DDoS Attacks", "BitMEX blog",
       "https://blog.bitmex.com/how-we-are-responding-to-last-weeks-ddos-attacks/", "venue"),
    _s("cointelegraph_bitmex_2020", "BitMEX Takes a Hit, Community Cries Foul Play Following "
       "Market Crash", "Cointelegraph",
       "https://cointelegraph.com/news/bitmex-takes-a-hit-community-cries-foul-play-following-market-crash",
       "press"),
    _s("fastcrypto_skew_2020", "BitMEX continues to field criticism over its insurance fund",
       "Fastcrypto (Skew data)", "https://fastcrypto.trade/?p=102697", "press"),
    _s("cryptoadventure_2020", "Bitcoin's Freefall Sees BitMEX Take a Massive Tumble",
       "CryptoAdventure (Skew data)",
       "https://cryptoadventure.com/bitcoins-freefall-sees-bitmex-take-a-massive-tumble/", "press"),
    _s("bitcoinexchangeguide_2020", "BitMEX Provides Clarity On The Insurance Fund After Traders "
       "Liquidated Last Week", "BitcoinExchangeGuide",
       "https://bitcoinexchangeguide.com/bitmex-provides-clarity-on-the-insurance-fund-after-traders-liquidated-last-week/",
       "press"),
    _s("ledgerprime_2020", "Crypto's Black Thursday: the Market Crash of March 2020",
       "LedgerPrime research", "https://www.research.ledgerprime.com/p/cryptos-black-thursday-the-market",
       "research"),
    _s("btcmex_2020", "Black Thursday: What Actually Happened to Bitcoin", "BTCMEX blog",
       "https://blog.btcmex.com/black-thursday-what-actually-happened-to-bitcoin/", "press"),
    _s("bittercoin_2020", "BitMEX underwent DDoS attack during the fall of markets",
       "Bitter Coin blog",
       "https://bitter-coin.blogspot.com/2020/03/bitmex-underwent-ddos-attack-during.html", "press"),
    # ---- 19 May 2021
    _s("beincrypto_2021", "Over 800,000 Crypto Traders Liquidated in Last 24 Hours",
       "BeInCrypto (Bybt data)", "https://beincrypto.com/thousands-of-crypto-traders-liquidated",
       "press", "dated 19 May 2021 18:00 UTC, before the day ended"),
    _s("newsbreak_2021", "Report on the 19 May 2021 crash (Bybt liquidation data)",
       "NewsBreak (Bybt data)",
       "https://www.newsbreak.com/news/2263120909471/mastercard-exec-shares-thoughts-on-crypto-rewards-stablecoin-and-cbdc-plans",
       "press"),
    _s("casscams_2021", "Major Cryptocurrency Market Plunge: Bitcoin Drops Over 30%",
       "Casscams (Bitcoin Home data)", "https://casscams.com/10621.html", "press"),
    _s("mtwwr_2021", "Bitcoin Plunges to $30,000 Amid 30% 24-Hour Crash",
       "Mtwwr (Feixiaohao data)", "https://www.mtwwr.com/2914.html", "press"),
    _s("straitstimes_2021", "Making sense of the Bitcoin crash", "The Straits Times",
       "https://www.straitstimes.com/opinion/making-sense-of-the-bitcoin-crash-0", "press"),
    _s("worldstockmarket_2021", "Lightning rollback: bitcoin rate went $12,000 down and up in "
       "15 hours", "WorldStockMarket",
       "https://www.worldstockmarket.net/lightning-rollback-bitcoin-rate-went-by-12000-down-and-up-in-15-hours",
       "press"),
    _s("iwh_2022", "Bitcoin Flash Crash on May 19, 2021: What Did Really Happen on Binance?",
       "IWH Halle (Baumgartner and Guettler)",
       "https://www.iwh-halle.de/en/publications/detail/bitcoin-flash-crash-on-may-19-2021-what-did-really-happen-on-binance/",
       "research"),
    _s("kaiko_2021", "Highest Daily Spot Volumes Ever Recorded", "Kaiko research",
       "https://blog.kaiko.com/highest-daily-spot-volumes-ever-recorded-646b3af74d6a", "research"),
    # ---- 10-11 October 2025
    _s("coindesk_2025", "Market Spotlight: The $19 Billion Liquidation That Shook Crypto",
       "CoinDesk research (CoinGlass data)",
       "https://cryptonewz.pages.dev/crypto-news-coindesk.com/research/market-spotlight-the-19-billion-liquidation-that-shook-crypto",
       "research", "a stored copy of the CoinDesk research note of 17 October 2025"),
    _s("coinglass_2025", "CoinGlass: $150B Forced Crypto Liquidations in 2025 — October 10 Was "
       "Record Single-Day Event", "SignalPlus (CoinGlass annual report)",
       "https://t.signalplus.com/crypto-news/detail/coinglass-crypto-derivatives-liquidations-150b-oct10-spike?lang=en-US",
       "press"),
    _s("binance_square_2025", "Historic large-scale liquidation on 11 October 2025",
       "Binance Square post (CoinGlass data)",
       "https://www.binance.bh/en-AE/square/post/30850840862433", "press"),
    _s("coinotag_2025", "Bitcoin Liquidations May Be Understated as Hyperliquid, CoinGlass Say "
       "Binance's Reporting Could Undercount", "COINOTAG (CoinGlass data)",
       "https://bitcoinethereumnews.com/bitcoin/bitcoin-liquidations-may-be-understated-as-hyperliquid-coinglass-say-binances-reporting-could-undercount-mass-liquidations",
       "press"),
    _s("amberdata_2025", "How $3.21B Vanished in 60 Seconds: October 2025 Crypto Crash Explained "
       "Through 7 Charts", "Amberdata",
       "https://blog.amberdata.io/how-3.21b-vanished-in-60-seconds-october-2025-crypto-crash-explained-through-7-charts",
       "research"),
    _s("kaiko_2025", "When October Surprise Meets Crypto Liquidity Drought", "Kaiko research",
       "https://research.kaiko.com/insights/when-october-surprise-meets-crypto-liquidity-drought",
       "research"),
    _s("ltrd_2025", "When Liquidity Disappears: Decoding Micro Data on the Flash Crash of "
       "October 10", "AICoin (analysis by ltrd)", "https://www.aicoin.com/article/493630",
       "research"),
    _s("koala_2025", "Hyperliquid Havoc: $10 Billion Longs Wiped Out in Brutal Liquidity Crash",
       "Koala-by (CoinGlass data)",
       "https://koala-by.com/hyperliquid-havoc-10-billion-longs-wiped-out-in-brutal-liquidity-crash",
       "press"),
    _s("hyperliquid_yan_2025", "Jeff's opinion on the mass liquidation and ADL",
       "Followin (summary of Hyperliquid's founder's statement)",
       "https://followin.io/feed/20737074", "press",
       "a summary of the Hyperliquid founder's post; the venue's own words at second hand"),
    _s("hyperliquid_adl", "Auto-deleveraging", "Hyperliquid docs",
       "https://hyperliquid.gitbook.io/hyperliquid-docs/trading/auto-deleveraging", "venue",
       "the stored copy predates October 2025: it still says ADL has never happened"),
    _s("yq_hlp_2025", "Hyperliquid founder responds to ADL criticism", "Bitget news",
       "https://www.bitget.live/news/detail/12560605023174", "press",
       "quotes an analysis by AltLayer's co-founder (YQ) of the HLP vault's profit"),
    _s("binance_comp_2025", "Binance sets depeg payouts; $283M already reimbursed",
       "Binance Square post",
       "https://www.binance.bh/fr-AF/square/post/30952419865713", "press"),
    _s("binance_force_order", "Liquidation Order Streams (USDⓈ-M futures)",
       "Binance developer docs",
       "https://developers.binance.com/docs/derivatives/usds-margined-futures/websocket-market-streams/Liquidation-Order-Streams",
       "venue"),
)}


def _f(name: str, value: float | tuple[float, float], unit: str, measures: str,
       sources: tuple[str, ...] | str, estimate: bool = False, note: str = "") -> Figure:
    return Figure(name, value, unit, measures,
                  (sources,) if isinstance(sources, str) else tuple(sources), estimate, note)


#: The three events, by the date they began.
EVENTS: dict[str, Event] = {e.key: e for e in (
    Event(
        key="2020-03-12",
        title="Black Thursday: BitMEX, its insurance fund and its outage",
        dates="12-13 March 2020",
        summary=("Bitcoin fell by about half in two legs, the second overnight into 13 March. "
                 "BitMEX, then the largest venue for bitcoin perpetuals, liquidated more than on "
                 "any day before; its liquidation engine held a large long position it could not "
                 "sell at the mark, and its insurance fund absorbed the losses. BitMEX went "
                 "offline during the second leg and said it was a DDoS attack."),
        figures=(
            _f("btc_high", (7_300, 7_353), "USD per BTC", "bitcoin at 10:00 UTC on 12 March",
               ("btcmex_2020", "ledgerprime_2020"),
               note="7,300 (BTCMEX); 7,353 on BitMEX's XBTUSD perpetual (LedgerPrime)"),
            _f("leg1_low", (5_678, 5_690), "USD per BTC", "low of the first leg",
               ("ledgerprime_2020", "btcmex_2020"),
               note="5,678 at about 10:45 UTC (LedgerPrime); 5,690 (BTCMEX)"),
            _f("leg1_minutes", 60, "minutes", "first leg, about 10:00-11:00 UTC", "btcmex_2020"),
            _f("leg2_start", 5_800, "USD per BTC", "bitcoin as the second leg began",
               "btcmex_2020"),
            _f("leg2_minutes", 195, "minutes", "second leg, 23:00-02:15 UTC", "btcmex_2020"),
            _f("btc_low", (3_596, 3_900), "USD per BTC", "low of the second leg",
               ("ledgerprime_2020", "btcmex_2020"),
               note="3,596 on BitMEX's perpetual, about 400 below spot (LedgerPrime); "
                    "3,900 (BTCMEX)"),
            _f("bitmex_liquidations_12", (863e6, 876e6), "USD",
               "BitMEX liquidations on 12 March", ("cryptoadventure_2020", "fastcrypto_skew_2020"),
               note="both from Skew: 863 m (CryptoAdventure), 876 m (Fastcrypto)"),
            _f("bitmex_liquidations_13", 798e6, "USD", "BitMEX liquidations on 13 March",
               "fastcrypto_skew_2020"),
            _f("fund_size", (35_000, 36_493), "BTC",
               "BitMEX insurance fund after the event",
               ("fastcrypto_skew_2020", "bittercoin_2020"),
               note="'over 35,000 BTC' (Fastcrypto); 36,493 BTC, a record (Bitter Coin)"),
            _f("fund_largest_fall", 2_606, "BTC",
               "largest fall of the insurance fund (13 March)", "maepondjit_if_2020"),
            _f("takeover_unrealised_loss", 5_652, "BTC",
               "largest unrealised loss on liquidated positions the engine still held",
               "maepondjit_if_2020"),
            _f("outage_minutes", (25, 60), "minutes", "length of the BitMEX outage",
               ("cointelegraph_bitmex_2020", "fastcrypto_skew_2020", "bitcoinexchangeguide_2020"),
               note="about 25 (Cointelegraph), about 30 (Fastcrypto), about an hour "
                    "(BitcoinExchangeGuide); BitMEX dates the attacks 02:16 and 12:56 UTC "
                    "on 13 March"),
            _f("ddos_attacks", 2, "count", "DDoS attacks on BitMEX on 13 March",
               "bitmex_ddos_2020", note="at 02:16 and 12:56 UTC"),
            _f("adl_events", 0, "count", "auto-deleveraging on BitMEX", "bitmex_if_2020",
               note="BitMEX: 'ADL was completely prevented'"),
        ),
        mechanisms=("order book", "insurance fund", "cascade"),
        reporting=("The liquidation totals come from one data firm (Skew) and are quoted "
                   "differently by two outlets; BitMEX's own post gives fund movements, not "
                   "totals. The outage's length is reported as 25 minutes to an hour."),
    ),
    Event(
        key="2021-05-19",
        title="19 May 2021: a cascade across every venue",
        dates="19 May 2021",
        summary=("After a week of selling, bitcoin fell by about 30 % within the day and "
                 "recovered much of it within hours. Liquidations ran across all large venues at "
                 "once; several exchanges were overwhelmed, and Binance halted trading for retail "
                 "clients during the crash."),
        figures=(
            _f("btc_fall", (0.27, 0.31), "fraction", "bitcoin's fall within 24 hours",
               ("straitstimes_2021", "casscams_2021"),
               note="about 27 % (The Straits Times), more than 31 % intraday (Casscams)"),
            _f("btc_low", (30_000, 30_202), "USD per BTC", "bitcoin's low on 19 May",
               ("worldstockmarket_2021", "casscams_2021"),
               note="'touched $30,000' (WorldStockMarket); 30,201.96 (Casscams)"),
            _f("round_trip_hours", 14, "hours",
               "time for the fall from 42,000 to 30,000 and the way back",
               "worldstockmarket_2021"),
            _f("total_liquidations", (2.574e9, 8.6e9), "USD",
               "liquidations in 24 hours, all venues",
               ("casscams_2021", "mtwwr_2021", "beincrypto_2021", "newsbreak_2021"),
               note="2.574 bn (Bitcoin Home), 3.58 bn (Feixiaohao), 'over 8 bn' at 18:00 UTC "
                    "and 8.6 bn (Bybt): aggregators with different venues and windows"),
            _f("traders_liquidated", 804_242, "count", "traders liquidated in 24 hours",
               "beincrypto_2021", note="Bybt, at 18:00 UTC on 19 May"),
            _f("binance_price_gap", 7, "ratio",
               "Binance's futures price difference to other venues, crash vs. reference period",
               "iwh_2022", note="the authors also find back-filled trade data"),
        ),
        mechanisms=("order book", "mark price", "cascade"),
        reporting=("No venue published its own total; the aggregators' totals span a factor of "
                   "more than three. Research on Binance's data found a trading halt for retail "
                   "clients and back-filled trades, so even the venue's trade record is in doubt."),
    ),
    Event(
        key="2025-10-10",
        title="10-11 October 2025: the largest liquidation day on record",
        dates="10-11 October 2025",
        summary=("A tariff announcement after the US close set off selling; from 20:50 UTC a "
                 "40-minute cascade liquidated most of the day's total. Market makers stepped "
                 "back and order books looked empty. Collateral tokens depegged on Binance, "
                 "which later compensated users, and Hyperliquid ran cross-margin "
                 "auto-deleveraging for the first time in over two years."),
        figures=(
            _f("total_liquidations", (9.89e9, 19.13e9), "USD",
               "reported liquidations, all venues",
               ("amberdata_2025", "coindesk_2025", "binance_square_2025"),
               note="9.89 bn in 14 hours from 20:50 UTC (Amberdata); over 19 bn in 24 hours "
                    "(CoinGlass via CoinDesk), 19.13 bn (CoinGlass via Binance Square)"),
            _f("true_total_estimate", (30e9, 40e9), "USD",
               "CoinGlass's estimate of the true total", "coinglass_2025", estimate=True,
               note="allows for late venue disclosures and market-maker data"),
            _f("long_share", (0.839, 0.90), "fraction", "share of longs in the liquidations",
               ("amberdata_2025", "coinglass_2025"),
               note="83.9 % (Amberdata); 85-90 % (CoinGlass)"),
            _f("long_liquidations", 16.7e9, "USD", "long positions liquidated",
               "coinotag_2025", note="CoinGlass"),
            _f("short_liquidations", 2.456e9, "USD", "short positions liquidated",
               "coinotag_2025", note="CoinGlass"),
            _f("cascade_minutes", 40, "minutes", "the cascade from 20:50 UTC",
               "amberdata_2025", note="70 % of Amberdata's 14-hour total in these 40 minutes"),
            _f("average_decline", (0.47, 0.63), "fraction",
               "average token decline on the day", ("coindesk_2025", "ltrd_2025"),
               note="about 47 % across CoinDesk Data's universe; 63 % from open to low "
                    "(an analysis of Binance listings); May 2021: about 41 % by both"),
            _f("hyperliquid_liquidations", (9.297e9, 10e9), "USD",
               "liquidations on Hyperliquid", ("binance_square_2025", "koala_2025"),
               note="9.297 bn in 4 hours, 55 % of all venues (CoinGlass via Binance Square); "
                    "10 bn in 24 hours (CoinGlass via Koala-by)"),
            _f("bid_bands", (0.04, 0.10), "fraction",
               "distance from the mid of the nearest bands still holding meaningful bids",
               "kaiko_2025", note="on several venues, most visibly Binance, Crypto.com, Kraken"),
            _f("stream_cap", 1, "count", "liquidation orders Binance's public stream pushes per "
               "symbol per second, at most", "binance_force_order",
               note="the latest one in each 1,000 ms; none if there was none"),
            _f("hlp_backstop_minutes", 20, "minutes",
               "Hyperliquid's HLP backstopped billions of dollars of positions over",
               "hyperliquid_yan_2025"),
            _f("hlp_profit", 40e6, "USD", "profit of Hyperliquid's HLP vault that day",
               "yq_hlp_2025", estimate=True, note="an outside analyst's estimate"),
            _f("binance_compensation", 283e6, "USD",
               "Binance's compensation for the USDe, BNSOL and WBETH depeg",
               "binance_comp_2025", note="window 21:36-22:16 UTC"),
            _f("usde_low", 0.65, "USD", "USDe's low on Binance", "coindesk_2025"),
        ),
        mechanisms=("order book", "mark price", "insurance fund", "auto-deleveraging", "cascade"),
        reporting=("Binance's public stream shows at most one liquidation per symbol per second; "
                   "CoinGlass says Binance's figures may be 10-20 times too low and Hyperliquid's "
                   "founder 'up to 100x'. Hyperliquid's on-chain data are complete, which is one "
                   "reason it tops the reported totals. The true total is an estimate."),
    ),
)}

def get(key: str) -> Event:
    """The event that began on ``key`` (``YYYY-MM-DD``); ValueError listing the known ones."""
    if key not in EVENTS:
        raise ValueError(f"event must be one of {', '.join(EVENTS)}; got {key!r}")
    return EVENTS[key]


def source(key: str) -> Source:
    """A source by its bibliography key."""
    if key not in SOURCES:
        raise ValueError(f"unknown source {key!r}")
    return SOURCES[key]
