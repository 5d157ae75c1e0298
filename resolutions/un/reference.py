"""Where the reference data kept in the repository lives (``resolutions/un/data/``; its
README says where each file came from). Nothing else spells these paths out."""

from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"

#: The seed draft, A/C.1/76/L.13 of 8 October 2021, as issued.
SEED_SYMBOL = "A/C.1/76/L.13"
SEED_TEXT = DATA_DIR / "seed" / "A-C.1-76-L.13.txt"
#: The 193 Member States, with codes, regions, regional groups and other names.
MEMBER_STATES_CSV = DATA_DIR / "member_states.csv"
#: The sessions of the open-ended working group 2021–2025, each with its source.
OEWG_SESSIONS_CSV = DATA_DIR / "oewg_2021_2025_sessions.csv"
#: Adopted resolutions as text extracted from their PDFs, artefacts included.
TEXTS_DIR = DATA_DIR / "texts"
#: Real texts as the official PDFs give them, each with ``<symbol>.expected.json``.
REAL_TEXTS_DIR = TEXTS_DIR / "real"
