"""Input files for the end-to-end tests (no dependencies, so other tools can reuse them)."""

import datetime
import json
import random


def write_events(path, rows=20_000, seed=7):
    rng = random.Random(seed)
    start = datetime.datetime(2026, 3, 1, 12, 0, 0)
    with open(path, "w") as f:
        for i in range(rows):
            t = start + datetime.timedelta(milliseconds=i * 37)
            t -= datetime.timedelta(milliseconds=rng.randint(0, 4000))  # out of order, within 5 s
            if rng.random() < 0.01:
                t -= datetime.timedelta(minutes=2)  # late
            row = {
                "user_id": f"u{rng.randint(1, 50)}" if rng.random() > 0.02 else None,
                "amount": f"{rng.randint(1, 99999) / 100:.2f}",
                "kind": rng.choice(["buy", "buy", "buy", "refund"]),
                "ts": t.strftime("%Y-%m-%d %H:%M:%S.") + f"{t.microsecond // 1000:03d}",
            }
            # Numbers as JSON numbers (exact decimals), not strings.
            line = json.dumps(row).replace(f'"amount": "{row["amount"]}"', f'"amount": {row["amount"]}')
            f.write(line + "\n")
