"""The demo marketplace's content, as a file of the seeding format would hold it.

Pure data, no database: the same sections on every call and in every process (a fixed
seed, no set or hash order), so the demo is the same wherever it is seeded. Three buyers
with users, groups and addresses, a storefront API client their users sign in with, and
two catalogs (a tree of 48 categories) of 1,200 products with prices, specs and variants,
assigned so that users of different buyers and groups see different products:

- Acme Outfitters sees the whole Apparel & Outdoor catalog; its managers group gets
  wholesale prices on some products (product assignments with a price schedule).
- Bright Office Supply sees the whole Office & Home catalog, with contract prices on some.
- Coastal Living Co. sees only categories assigned to it: Outdoor Gear for everyone,
  Kitchen for its kitchen team, Garden for its garden team.
"""

import random
import re

from sandbox.seeding.seedfile import MARKETPLACE_PLACEHOLDER

SEED = 20250601
PRODUCT_COUNT = 1200
SHOPPER_PASSWORD = "shopper-password"
STOREFRONT_CLIENT_ID = "5E7D0C1A-2B3C-4D5E-8F90-A1B2C3D4E5F6"
STOREFRONT_APP_NAME = "Demo Storefront"
CREATED = "2025-01-01T00:00:00.000+00:00"  # every demo object's DateCreated
SALE = ("2025-01-01T00:00:00.000+00:00", "2035-12-31T23:59:59.000+00:00")

# --- who buys ------------------------------------------------------------------------------

BUYERS = (
    ("acme-outfitters", "Acme Outfitters", "apparel-outdoor", "Denver", "CO", "80202"),
    ("bright-office", "Bright Office Supply", "office-home", "Chicago", "IL", "60601"),
    ("coastal-living", "Coastal Living Co.", "office-home", "San Diego", "CA", "92101"),
)
GROUPS = (  # buyer, ID, name, description
    ("acme-outfitters", "acme-buyers", "Buyers", "Order for the stores"),
    ("acme-outfitters", "acme-managers", "Managers", "Wholesale prices on some products"),
    ("bright-office", "bright-staff", "Staff", "Everyday office supplies"),
    ("bright-office", "bright-facilities", "Facilities", "Furniture and lighting"),
    ("coastal-living", "coastal-kitchen", "Kitchen team", "Sees the Kitchen category"),
    ("coastal-living", "coastal-garden", "Garden team", "Sees the Garden category"),
)
USERS = (  # buyer, username (and ID), first name, last name, groups
    ("acme-outfitters", "alice", "Alice", "Anders", ("acme-buyers",)),
    ("acme-outfitters", "adam", "Adam", "Alvarez", ("acme-buyers", "acme-managers")),
    ("bright-office", "bella", "Bella", "Brooks", ("bright-staff",)),
    ("bright-office", "ben", "Ben", "Baptiste", ("bright-staff", "bright-facilities")),
    ("coastal-living", "cora", "Cora", "Chen", ("coastal-kitchen",)),
    ("coastal-living", "caleb", "Caleb", "Cruz", ("coastal-garden",)),
    ("coastal-living", "chloe", "Chloe", "Castillo", ()),
)
SHOPPER_ROLES = ["Shopper", "MeAdmin", "MeAddressAdmin", "MeXpAdmin", "PasswordReset"]

# --- what they buy -------------------------------------------------------------------------

CATALOGS = (
    ("apparel-outdoor", "Apparel & Outdoor", "Clothing, footwear and gear for the outdoors"),
    ("office-home", "Office & Home", "Furniture, supplies and things for the home"),
)
# catalog, ID, name, parent; leaves have product templates in LEAVES.
CATEGORIES = (
    ("apparel-outdoor", "mens", "Men's Clothing", None),
    ("apparel-outdoor", "mens-jackets", "Jackets", "mens"),
    ("apparel-outdoor", "mens-shirts", "Shirts", "mens"),
    ("apparel-outdoor", "mens-pants", "Pants", "mens"),
    ("apparel-outdoor", "mens-sweaters", "Sweaters", "mens"),
    ("apparel-outdoor", "womens", "Women's Clothing", None),
    ("apparel-outdoor", "womens-jackets", "Jackets", "womens"),
    ("apparel-outdoor", "womens-tops", "Tops", "womens"),
    ("apparel-outdoor", "womens-dresses", "Dresses", "womens"),
    ("apparel-outdoor", "womens-pants", "Pants", "womens"),
    ("apparel-outdoor", "footwear", "Footwear", None),
    ("apparel-outdoor", "hiking-boots", "Hiking Boots", "footwear"),
    ("apparel-outdoor", "running-shoes", "Running Shoes", "footwear"),
    ("apparel-outdoor", "sandals", "Sandals", "footwear"),
    ("apparel-outdoor", "outdoor-gear", "Outdoor Gear", None),
    ("apparel-outdoor", "camping", "Camping", "outdoor-gear"),
    ("apparel-outdoor", "tents", "Tents", "camping"),
    ("apparel-outdoor", "sleeping-bags", "Sleeping Bags", "camping"),
    ("apparel-outdoor", "camp-kitchen", "Camp Kitchen", "camping"),
    ("apparel-outdoor", "backpacks", "Backpacks", "outdoor-gear"),
    ("apparel-outdoor", "accessories", "Accessories", None),
    ("apparel-outdoor", "hats", "Hats", "accessories"),
    ("apparel-outdoor", "gloves", "Gloves", "accessories"),
    ("apparel-outdoor", "sunglasses", "Sunglasses", "accessories"),
    ("apparel-outdoor", "bags", "Bags", "accessories"),
    ("office-home", "furniture", "Furniture", None),
    ("office-home", "desks", "Desks", "furniture"),
    ("office-home", "office-chairs", "Office Chairs", "furniture"),
    ("office-home", "bookcases", "Bookcases", "furniture"),
    ("office-home", "stationery", "Stationery", None),
    ("office-home", "notebooks", "Notebooks", "stationery"),
    ("office-home", "pens", "Pens", "stationery"),
    ("office-home", "desk-organizers", "Desk Organizers", "stationery"),
    ("office-home", "electronics", "Electronics", None),
    ("office-home", "monitors", "Monitors", "electronics"),
    ("office-home", "keyboards", "Keyboards", "electronics"),
    ("office-home", "headphones", "Headphones", "electronics"),
    ("office-home", "kitchen", "Kitchen", None),
    ("office-home", "cookware", "Cookware", "kitchen"),
    ("office-home", "kitchen-tools", "Kitchen Tools", "kitchen"),
    ("office-home", "tableware", "Tableware", "kitchen"),
    ("office-home", "garden", "Garden", None),
    ("office-home", "garden-tools", "Garden Tools", "garden"),
    ("office-home", "planters", "Planters", "garden"),
    ("office-home", "outdoor-furniture", "Outdoor Furniture", "garden"),
    ("office-home", "lighting", "Lighting", None),
    ("office-home", "desk-lamps", "Desk Lamps", "lighting"),
    ("office-home", "floor-lamps", "Floor Lamps", "lighting"),
)
# leaf -> (nouns, lowest and highest price, variant specs, sizes for xp.Size)
APPAREL = ("XS", "S", "M", "L", "XL")
SHOES = ("7", "8", "9", "10", "11", "12")
GEAR = ("Small", "Medium", "Large")
OFFICE = ("Compact", "Standard", "Large")
LEAVES = {
    "mens-jackets": (("Jacket", "Parka", "Windbreaker", "Rain Shell"), (60, 320), "apparel"),
    "mens-shirts": (("Flannel Shirt", "Oxford Shirt", "Tee", "Polo"), (18, 90), "apparel"),
    "mens-pants": (("Chinos", "Hiking Pants", "Joggers", "Jeans"), (35, 140), "apparel"),
    "mens-sweaters": (("Sweater", "Cardigan", "Hoodie", "Quarter-Zip"), (40, 160), "apparel"),
    "womens-jackets": (("Jacket", "Puffer", "Trench Coat", "Rain Shell"), (60, 340), "apparel"),
    "womens-tops": (("Blouse", "Tank Top", "Tee", "Tunic"), (18, 85), "apparel"),
    "womens-dresses": (
        ("Wrap Dress", "Sundress", "Shirt Dress", "Maxi Dress"),
        (40, 180),
        "apparel",
    ),
    "womens-pants": (("Leggings", "Trousers", "Hiking Pants", "Jeans"), (30, 140), "apparel"),
    "hiking-boots": (("Hiking Boot", "Trail Boot", "Mountain Boot"), (90, 280), "shoes"),
    "running-shoes": (("Running Shoe", "Trail Runner", "Racing Flat"), (70, 200), "shoes"),
    "sandals": (("Sandal", "Slide", "Water Shoe"), (25, 110), "shoes"),
    "tents": (("Tent", "Shelter", "Tarp"), (80, 650), None),
    "sleeping-bags": (("Sleeping Bag", "Quilt", "Sleeping Pad"), (40, 380), None),
    "camp-kitchen": (("Camp Stove", "Cook Set", "Water Filter", "Mug"), (12, 180), None),
    "backpacks": (("Daypack", "Backpack", "Hydration Pack", "Duffel"), (35, 320), "color"),
    "hats": (("Beanie", "Cap", "Sun Hat", "Bucket Hat"), (15, 55), "color"),
    "gloves": (("Gloves", "Mittens", "Liner Gloves"), (15, 90), None),
    "sunglasses": (("Sunglasses", "Glacier Glasses", "Sport Shades"), (30, 220), None),
    "bags": (("Tote", "Messenger Bag", "Belt Bag", "Weekender"), (25, 190), "color"),
    "desks": (("Standing Desk", "Writing Desk", "Corner Desk"), (150, 900), None),
    "office-chairs": (("Task Chair", "Ergonomic Chair", "Stool"), (90, 750), "color"),
    "bookcases": (("Bookcase", "Shelf", "Cabinet"), (70, 450), None),
    "notebooks": (("Notebook", "Journal", "Planner", "Sketchbook"), (6, 40), "monogram"),
    "pens": (("Ballpoint Pen", "Gel Pen", "Fountain Pen", "Marker Set"), (3, 120), "monogram"),
    "desk-organizers": (("Desk Tray", "Pen Cup", "File Sorter"), (10, 70), None),
    "monitors": (("Monitor", "Ultrawide Monitor", "Portable Display"), (140, 1100), "warranty"),
    "keyboards": (("Keyboard", "Mechanical Keyboard", "Mouse"), (20, 220), "warranty"),
    "headphones": (("Headphones", "Earbuds", "Headset"), (25, 400), "warranty"),
    "cookware": (("Skillet", "Saucepan", "Dutch Oven", "Wok"), (25, 320), None),
    "kitchen-tools": (("Knife", "Cutting Board", "Whisk", "Peeler"), (8, 150), None),
    "tableware": (("Dinner Plate", "Bowl", "Glass Set", "Mug"), (8, 90), None),
    "garden-tools": (("Trowel", "Pruner", "Rake", "Hose"), (12, 120), None),
    "planters": (("Planter", "Window Box", "Raised Bed"), (15, 240), None),
    "outdoor-furniture": (("Patio Chair", "Bench", "Hammock", "Side Table"), (60, 700), None),
    "desk-lamps": (("Desk Lamp", "Task Light", "Clip Lamp"), (25, 180), None),
    "floor-lamps": (("Floor Lamp", "Arc Lamp", "Torchiere"), (60, 360), None),
}
BRANDS = {
    "apparel-outdoor": ("Northwind", "Summit Peak", "Harbor & Pine", "Trailcraft", "Ember"),
    "office-home": ("Deskwise", "Paperfield", "Lumen & Co", "Oakline", "Kettle Lane"),
}
ADJECTIVES = (
    "Alpine", "Classic", "Coastal", "Essential", "Everyday", "Heritage", "Lightweight",
    "Modern", "Rugged", "Summit", "Urban", "Weekend", "Ridge", "Meadow", "Canyon",
)  # fmt: skip
MATERIALS = {
    "apparel-outdoor": ("organic cotton", "recycled nylon", "merino wool", "ripstop polyester",
                        "full-grain leather", "hemp canvas"),
    "office-home": ("solid oak", "powder-coated steel", "recycled paper", "bamboo",
                    "cast iron", "stoneware"),
}  # fmt: skip
FEATURES = (
    "Built to last through years of daily use",
    "Designed with input from people who use it every day",
    "Easy to care for",
    "Backed by a lifetime guarantee",
    "Made in a certified low-impact factory",
    "A customer favourite since its first season",
)
COLORS = ("Black", "Navy", "Olive", "Charcoal", "Red", "Sand", "White", "Teal")
# spec ID -> (name, options as (ID, value, markup), defines variants, default option)
SPECS = {
    "size": ("Size", [(size, size, None) for size in APPAREL], True, None),
    "shoe-size": ("Shoe size", [(size, f"US {size}", None) for size in SHOES], True, None),
    "color": (
        "Color",
        [(c.lower(), c, None) for c in ("Black", "Navy", "Olive", "Red")],
        True,
        None,
    ),
    "monogram": ("Monogram", [], False, None),
    "warranty": (
        "Warranty",
        [("standard", "1-year warranty", None), ("extended", "3-year warranty", 15.0)],
        False,
        "standard",
    ),
}
HEX = {"black": "#000000", "navy": "#1f2a44", "olive": "#5c6d16", "red": "#b22222"}


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def demo_sections(*, products=PRODUCT_COUNT) -> dict:
    """The whole demo: buyers and their users, then the catalog and its products."""
    sections = buyer_sections()
    catalog = catalog_sections(products)
    for section, names in catalog.items():
        for name, records in names.items():
            sections[section].setdefault(name, []).extend(records)
    return sections


def buyer_sections() -> dict:
    objects, assignments = {}, {}
    objects["SecurityProfiles"] = [
        {"ID": "shopper", "Name": "Shopper", "Roles": SHOPPER_ROLES, "CustomRoles": []}
    ]
    objects["Buyers"] = [
        {
            "ID": buyer_id,
            "Name": name,
            "DefaultCatalogID": catalog,
            "Active": True,
            "DateCreated": CREATED,
            "xp": {"City": city},
        }
        for buyer_id, name, catalog, city, _, _ in BUYERS
    ]
    objects["UserGroups"] = [
        {"ID": group_id, "Name": name, "Description": about, "xp": {}, "BuyerID": buyer}
        for buyer, group_id, name, about in GROUPS
    ]
    names = {buyer_id: name for buyer_id, name, *_ in BUYERS}
    objects["Users"] = [
        {
            "ID": username,
            "Username": username,
            "Password": SHOPPER_PASSWORD,
            "FirstName": first,
            "LastName": last,
            "Email": f"{username}@{buyer}.example",
            "Active": True,
            "DateCreated": CREATED,
            "PasswordLastSetDate": CREATED,
            "xp": {"Company": names[buyer]},
            "BuyerID": buyer,
        }
        for buyer, username, first, last, _ in USERS
    ]
    objects["Addresses"] = []
    assignments["AddressAssignments"] = []
    for number, (buyer, name, _, city, state, zip_code) in enumerate(BUYERS, start=1):
        objects["Addresses"] += [
            address(f"{buyer}-hq", "Headquarters", name, f"{100 * number} Main Street", city,
                    state, zip_code, buyer),
            address(f"{buyer}-warehouse", "Warehouse", name, f"{number} Depot Road", city,
                    state, zip_code, buyer),
        ]  # fmt: skip
        assignments["AddressAssignments"] += [
            {"AddressID": f"{buyer}-hq", "IsShipping": True, "IsBilling": True, "BuyerID": buyer},
            {
                "AddressID": f"{buyer}-warehouse",
                "UserGroupID": next(g for b, g, *_ in GROUPS if b == buyer),
                "IsShipping": True,
                "IsBilling": False,
                "BuyerID": buyer,
            },
        ]
    objects["ApiClients"] = [
        {
            "ID": STOREFRONT_CLIENT_ID,
            "AppName": STOREFRONT_APP_NAME,
            "AccessTokenDuration": 600,
            "RefreshTokenDuration": 1440,
            "Active": True,
            "AllowAnyBuyer": False,
            "AllowSeller": False,
            "xp": {},
        }
    ]
    assignments["SecurityProfileAssignments"] = [
        {"SecurityProfileID": "shopper", "BuyerID": buyer_id} for buyer_id, *_ in BUYERS
    ]
    assignments["UserGroupAssignments"] = [
        {"UserGroupID": group, "UserID": username, "BuyerID": buyer}
        for buyer, username, _, _, groups in USERS
        for group in groups
    ]
    assignments["ApiClientAssignments"] = [
        {"ApiClientID": STOREFRONT_CLIENT_ID, "BuyerID": buyer_id} for buyer_id, *_ in BUYERS
    ]
    return {"Objects": objects, "Assignments": assignments}


def address(address_id, name, company, street, city, state, zip_code, buyer) -> dict:
    return {
        "ID": address_id,
        "AddressName": name,
        "CompanyName": company,
        "Street1": street,
        "City": city,
        "State": state,
        "Zip": zip_code,
        "Country": "US",
        "DateCreated": CREATED,
        "xp": {},
        "BuyerID": buyer,
    }


def catalog_sections(count: int) -> dict:
    """The catalogs, categories, specs and facets, `count` products, and who sees what."""
    objects = {
        "Catalogs": [
            {
                "ID": catalog_id,
                "OwnerID": MARKETPLACE_PLACEHOLDER,
                "Name": name,
                "Description": about,
                "Active": True,
                "xp": {},
            }
            for catalog_id, name, about in CATALOGS
        ],  # fmt: skip
        "Categories": [
            {
                "ID": category_id,
                "Name": name,
                "Description": f"{name} in {catalog_name(catalog)}",
                "ListOrder": order,
                "Active": True,
                "ParentID": parent,
                "xp": {},
                "CatalogID": catalog,
            }
            for order, (catalog, category_id, name, parent) in enumerate(CATEGORIES, start=1)
        ],  # fmt: skip
        "Specs": [],
        "SpecOptions": [],
        "ProductFacets": [
            {
                "ID": facet.lower(),
                "Name": facet,
                "XpPath": facet,
                "ListOrder": order,
                "MinCount": 1,
                "xp": {},
            }
            for order, facet in enumerate(("Brand", "Color", "Size"), start=1)
        ],  # fmt: skip
    }
    for order, (spec_id, (name, options, variants, default)) in enumerate(SPECS.items()):
        objects["Specs"].append(
            {"ID": spec_id, "OwnerID": MARKETPLACE_PLACEHOLDER, "ListOrder": order, "Name": name,
             "Required": variants, "AllowOpenText": not options, "DefaultOptionID": default,
             "DefinesVariant": variants, "xp": {}}
        )  # fmt: skip
        for position, (option_id, value, markup) in enumerate(options):
            objects["SpecOptions"].append(
                {"ID": option_id, "Value": value, "ListOrder": position, "IsOpenText": False,
                 "PriceMarkupType": "AmountPerQuantity" if markup else "NoMarkup",
                 "PriceMarkup": markup, "xp": {"hex": HEX[option_id]} if option_id in HEX else {},
                 "SpecID": spec_id}
            )  # fmt: skip
    products = product_sections(count)
    objects.update(products["Objects"])
    assignments = products["Assignments"]
    assignments["CatalogAssignments"] = [
        {"CatalogID": "apparel-outdoor", "BuyerID": "acme-outfitters",
         "ViewAllCategories": True, "ViewAllProducts": True},
        {"CatalogID": "office-home", "BuyerID": "bright-office",
         "ViewAllCategories": True, "ViewAllProducts": True},
        {"CatalogID": "apparel-outdoor", "BuyerID": "coastal-living",
         "ViewAllCategories": False, "ViewAllProducts": False},
        {"CatalogID": "office-home", "BuyerID": "coastal-living",
         "ViewAllCategories": False, "ViewAllProducts": False},
    ]  # fmt: skip
    assignments["CategoryAssignments"] = [
        {"CategoryID": "outdoor-gear", "BuyerID": "coastal-living", "Visible": True,
         "ViewAllProducts": True, "CatalogID": "apparel-outdoor"},
        {"CategoryID": "kitchen", "BuyerID": "coastal-living", "UserGroupID": "coastal-kitchen",
         "Visible": True, "ViewAllProducts": True, "CatalogID": "office-home"},
        {"CategoryID": "garden", "BuyerID": "coastal-living", "UserGroupID": "coastal-garden",
         "Visible": True, "ViewAllProducts": True, "CatalogID": "office-home"},
    ]  # fmt: skip
    return {"Objects": objects, "Assignments": assignments}


def catalog_name(catalog_id: str) -> str:
    return next(name for cid, name, _ in CATALOGS if cid == catalog_id)


def added_products(count: int, *, start: int, buyers=()) -> dict:
    """`count` more products (numbered from `start`) for `manage.py add_products`: with
    the demo's catalogs, categories and specs (kept where they are already), and the
    catalogs assigned to `buyers` where they are new."""
    catalog = catalog_sections(0)["Objects"]
    objects = {name: catalog[name] for name in ("Catalogs", "Categories", "Specs", "SpecOptions")}
    products = product_sections(count, start=start, special_prices=False)
    objects.update(products["Objects"])
    assignments = products["Assignments"]
    assignments["CatalogAssignments"] = [
        {"CatalogID": catalog_id, "BuyerID": buyer, "ViewAllCategories": True,
         "ViewAllProducts": True}
        for catalog_id, _, _ in CATALOGS
        for buyer in buyers
    ]  # fmt: skip
    return {"Objects": objects, "Assignments": assignments}


def product_number(product_id: str) -> int | None:
    """The number a generated product's ID ends with (`...-00042` -> 42)."""
    match = re.search(r"-(\d{5,})$", product_id)
    return int(match[1]) if match else None


def product_sections(
    count: int, *, start: int = 0, seed: int = SEED, special_prices: bool = True
) -> dict:
    """`count` products (numbered from `start`) with their price schedules, specs, and
    catalog and category assignments; with `special_prices`, wholesale and contract
    prices for some (assigned to the demo's buyers)."""
    rng = random.Random(f"{seed}-{start}")
    leaves = list(LEAVES)
    catalogs = {category: catalog for catalog, category, _, _ in CATEGORIES}
    objects: dict[str, list] = {"PriceSchedules": [], "Products": []}
    assignments: dict[str, list] = {
        "ProductCatalogAssignment": [],
        "CategoryProductAssignments": [],
        "SpecProductAssignments": [],
        "ProductAssignments": [],
    }
    for number in range(start, start + count):
        leaf = leaves[number % len(leaves)]
        catalog = catalogs[leaf]
        nouns, (low, high), specs = LEAVES[leaf]
        brand = rng.choice(BRANDS[catalog])
        name = f"{brand} {rng.choice(ADJECTIVES)} {rng.choice(nouns)}"
        product_id = f"{slug(name)}-{number + 1:05d}"
        color = rng.choice(COLORS)
        sizes = {"apparel": APPAREL, "shoes": SHOES}.get(specs or "")
        size = rng.choice(sizes or (GEAR if catalog == "apparel-outdoor" else OFFICE))
        material = rng.choice(MATERIALS[catalog])
        price = round(rng.uniform(low, high), 0) - 0.01
        variant_specs = variant_specs_for(specs, rng)
        objects["PriceSchedules"].append(price_schedule(product_id, name, price, rng))
        objects["Products"].append(
            {
                "OwnerID": MARKETPLACE_PLACEHOLDER,
                "DefaultPriceScheduleID": product_id,
                "ID": product_id,
                "Name": name,
                "Description": (
                    f"The {name}, made of {material} in {color.lower()}. {rng.choice(FEATURES)}."
                ),
                "QuantityMultiplier": 1,
                "ShipWeight": round(rng.uniform(0.2, 12), 1),
                "Active": True,
                "VariantCount": variant_count(variant_specs),
                "xp": {"Brand": brand, "Color": color, "Size": size, "Material": material},
            }
        )
        assignments["ProductCatalogAssignment"].append(
            {"CatalogID": catalog, "ProductID": product_id}
        )
        assignments["CategoryProductAssignments"].append(
            {"CategoryID": leaf, "ProductID": product_id, "ListOrder": number,
             "CatalogID": catalog}
        )  # fmt: skip
        for spec_id in variant_specs or extra_specs(specs, rng):
            assignments["SpecProductAssignments"].append(
                {"SpecID": spec_id, "ProductID": product_id}
            )
        # One product in twenty has another price for a buyer or a group.
        if special_prices and number % 20 == 7:
            schedule = price_schedule(
                f"{product_id}-special", f"{name} (special)", price * 0.85, rng
            )
            objects["PriceSchedules"].append(schedule)
            party = (
                {"BuyerID": "acme-outfitters", "UserGroupID": "acme-managers"}
                if catalog == "apparel-outdoor"
                else {"BuyerID": "bright-office"}
            )
            assignments["ProductAssignments"].append(
                {"SellerID": MARKETPLACE_PLACEHOLDER, "ProductID": product_id, **party,
                 "PriceScheduleID": schedule["ID"]}
            )  # fmt: skip
    return {"Objects": objects, "Assignments": assignments}


def variant_specs_for(specs: str | None, rng: random.Random) -> list[str]:
    """The variant-defining specs of a product: about two in five of those that can vary."""
    if specs not in ("apparel", "shoes", "color") or rng.random() >= 0.4:
        return []
    if specs == "apparel":
        return ["size", "color"] if rng.random() < 0.3 else ["size"]
    return ["shoe-size"] if specs == "shoes" else ["color"]


def variant_count(spec_ids: list[str]) -> int:
    count = 1 if spec_ids else 0
    for spec_id in spec_ids:
        count *= len(SPECS[spec_id][1])
    return count


def extra_specs(specs: str | None, rng: random.Random) -> list[str]:
    """Specs that do not make variants (a monogram, a warranty), for half of those that can."""
    return [specs] if specs in ("monogram", "warranty") and rng.random() < 0.5 else []


def price_schedule(schedule_id: str, name: str, price: float, rng: random.Random) -> dict:
    """Price breaks at 1 (and at 10 and 50 for two products in five); one in six is on
    sale; a few have quantity rules (a minimum, a maximum, or packs of 6 and 12 only)."""
    price = round(price, 2)
    breaks = [{"Quantity": 1, "Price": price}]
    rule = rng.random()
    restricted = rule < 0.02
    if restricted:
        breaks = [
            {"Quantity": 6, "Price": price},
            {"Quantity": 12, "Price": round(price * 0.95, 2)},
        ]
    elif rng.random() < 0.4:
        breaks += [
            {"Quantity": 10, "Price": round(price * 0.95, 2)},
            {"Quantity": 50, "Price": round(price * 0.9, 2)},
        ]
    on_sale = rng.random() < 1 / 6
    if on_sale:
        for price_break in breaks:
            price_break["SalePrice"] = round(price_break["Price"] * 0.8, 2)
    return {
        "OwnerID": MARKETPLACE_PLACEHOLDER,
        "ID": schedule_id,
        "Name": name[:100],
        "ApplyTax": True,
        "ApplyShipping": True,
        "MinQuantity": 2 if 0.02 <= rule < 0.04 else 1,
        "MaxQuantity": 20 if 0.04 <= rule < 0.06 else None,
        "UseCumulativeQuantity": False,
        "RestrictedQuantity": restricted,
        "PriceBreaks": breaks,
        "Currency": "USD",
        "SaleStart": SALE[0] if on_sale else None,
        "SaleEnd": SALE[1] if on_sale else None,
        "xp": {},
    }
