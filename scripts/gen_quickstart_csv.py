"""Generates examples/data/web_leads.csv: about 200 web-form submissions with planted bad
rows and duplicates, deterministic (seeded). Run: python3 scripts/gen_quickstart_csv.py"""
import csv
import random

rng = random.Random(20261123)
FIRST = ["Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "Ken", "Margaret", "John",
         "Radia", "Tim", "Sophie", "Linus", "Hedy", "Claude", "Katherine", "Dennis", "Anita", "Niklaus",
         "José", "Zoë", "Björn", "Chloé", "Łukasz"]
LAST = ["Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Allen", "Thompson", "Hamilton",
        "Backus", "Perlman", "Berners-Lee", "Wilson", "Torvalds", "Lamarr", "Shannon", "Johnson", "Ritchie",
        "Borg", "Wirth", "García", "Müller", "Nowak", "Dubois", "Rossi"]
COMPANIES = ["Analytical Engines Ltd", "Navy Labs Inc", "Bletchley Systems", "Centrum BV", "Liskov & Co",
             "TeX Works", "Fortran House", "Unix Labs", "Apollo Guidance", "Ethernet Partners",
             "Web Consortium", "ARM Holdings", "Kernel GmbH", "Frequency Hopping SA", "Information Theory AG"]
TITLES = ["CTO", "VP Engineering", "Head of Sales", "Procurement Manager", "Developer", "CEO", "Student", ""]
COUNTRIES = [("US", "+1 415 555 {:04d}"), ("GB", "020 7946 {:04d}"), ("DE", "030 {:06d}"), ("FR", "01 42 68 {:02d} {:02d}")]
CAMPAIGNS = [("spring-webinar", "google", "cpc", "ad-17"), ("ebook-crm", "linkedin", "social", "ad-42"),
             ("partner-push", "partner", "affiliate", ""), ("newsletter", "newsletter", "email", "")]
AGES = ["18-24", "25-34", "35-44", "45-54", "55-64", "65+", ""]
GENDERS = ["female", "male", "other", ""]
INCOMES = ["low", "middle", "upper_middle", "high", ""]
HEADER = ["First Name", "Last Name", "Email", "Phone", "Company", "Job Title", "Country", "Age", "Gender",
          "Income", "Campaign", "Ad", "Affiliate", "utm_source", "utm_medium", "utm_campaign", "Message", "Owner"]
OWNERS = ["sam", "alex", "kim"]


def phone(country, i):
    code, pattern = country
    if code == "FR":
        return pattern.format(i // 100 % 100, i % 100)
    return pattern.format(i % 10000) if code != "DE" else pattern.format(900000 + i)


rows = []
used = set()
for i in range(180):
    while True:
        f, l = rng.choice(FIRST), rng.choice(LAST)
        if (f, l) not in used:
            used.add((f, l))
            break
    company = rng.choice(COMPANIES)
    country = rng.choice(COUNTRIES)
    domain = company.split()[0].lower().replace("&", "and") + ".example.com"
    local = (f[0] + "." + l).lower().replace(" ", "").replace("ü", "ue").replace("ł", "l").replace("é", "e").replace("ë", "e").replace("ö", "o").replace("í", "i").replace("á", "a")
    local = "".join(c for c in local if c.isascii() and (c.isalnum() or c in ".-"))
    camp = rng.choice(CAMPAIGNS)
    affiliate = "aff-" + str(rng.randint(1, 3)) if camp[2] == "affiliate" else ""
    rows.append([f, l, f"{local}@{domain}", phone(country, 1000 + i), company, rng.choice(TITLES), country[0],
                 rng.choice(AGES), rng.choice(GENDERS), rng.choice(INCOMES), camp[0], camp[3], affiliate,
                 camp[1], camp[2], camp[0], rng.choice(["", "Please call me", "Interested in a demo", "Pricing?"]),
                 rng.choice(OWNERS)])

# Duplicates: same mailbox with a +tag and upper case, and name typos at the same company.
for src in rng.sample(range(180), 6):
    d = list(rows[src])
    local, domain = d[2].split("@")
    d[2] = f"{local.upper()}+web@{domain}"
    d[3] = ""
    rows.append(d)
for src in rng.sample(range(180), 5):
    d = list(rows[src])
    name = d[1]
    d[1] = name[:-2] + name[-1] + name[-2] if len(name) > 4 else name + "e"
    d[2] = "other." + d[2]
    d[3] = ""
    rows.append(d)

# Bad rows: each with a different problem.
bad = [
    ["Nobody", "", "not-an-email", "", "", "", "US", "", "", "", "", "", "", "", "", "", "missing name and bad email", ""],
    ["Phony", "Number", "phony@example.com", "12", "Phone Co", "", "US", "", "", "", "", "", "", "", "", "", "", ""],
    ["Old", "Timer", "old@example.com", "", "Retro Inc", "", "US", "ancient", "", "", "", "", "", "", "", "", ""],
    ["No", "Channel", "", "", "Silent Corp", "", "US", "", "", "", "", "", "", "", "", "", ""],
    ["Bad", "Country", "bc@example.com", "", "Nowhere Ltd", "", "XX", "", "", "", "", "", "", "", "", "", ""],
]
rows.extend(row + [""] * (len(HEADER) - len(row)) for row in bad)
# Stored verbatim, never executed.
rows.append(["Robert'); DROP TABLE rec_lead;--", "Tables", "bobby@school.example.com", "+1 415 555 0199",
             "Little Bobby's School", "Student", "US", "18-24", "male", "low", "", "", "", "", "", "", "x' OR '1'='1", "kim"])
rng.shuffle(rows)

with open("examples/data/web_leads.csv", "w", newline="", encoding="utf-8") as fh:
    w = csv.writer(fh)
    w.writerow(HEADER)
    w.writerows(rows)
    # A ragged row at the end: fewer fields than the header.
    fh.write("Short,Row,short@example.com\n")
print(len(rows) + 1, "rows")
