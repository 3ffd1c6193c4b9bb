// The shared draws of the pretraining texts: one "scene" per document (a customer, an order, a shop, a service,
// dates and amounts), drawn from the same word lists as the tasks' generators, so names, products, shops, plans,
// numbers and amounts look like those the chat summaries copy. Templates use the chat phrase language
// (./../chat/phrase.ts: [a|b] alternatives, {name} values, <key:text> conditionals).
import { Random } from "../../../random";
import { AGENT_NAMES, PERCENTS, PRODUCTS, SERVICES, SHOPS, agreement, aProduct, dollars, formatDollars, orderNumber, priceText } from "../chat/lexicon";

export { agreement, aProduct };
import { CITIES, FIRST_NAMES, LAST_NAMES, MONTHS, STREETS, WEEKDAYS } from "../vocabulary";

/** Fictional parcel carriers. */
export const CARRIERS = ["Swift Parcel", "Northline Express", "City Courier", "ParcelWay", "BlueRoute Delivery", "Metro Post"] as const;

/** Support teams an email or a page may name (the chats' teams among them). */
export const TEAMS = ["billing team", "shipping team", "returns team", "repair team", "account security team", "subscriptions team"] as const;

/** Promo codes as shops print them. */
export const PROMO_CODES = ["SPRING20", "WELCOME10", "SAVE15", "FALL25", "THANKS10", "SUMMER15", "VIP20", "HELLO5", "NEWHOME12", "FRESH30", "WINTER10", "FIRST15"] as const;

const EMAIL_DOMAINS = ["example.com", "mail.com", "inbox.net", "post.org"] as const;
const YEARS = ["2022", "2023", "2024", "2025"] as const;

/** A price lowered by a percentage, as "$45.99". */
export function discounted(price: string, percent: string): string {
  return formatDollars(Math.max(1, dollars(price) * (1 - Number(percent) / 100)));
}

/** "March 14". */
export function dayOfYear(random: Random): string {
  return `${random.pick(MONTHS)} ${random.int(1, 28)}`;
}

/** A shop's domain-style name: "Cedar Lane Home" -> "cedarlanehome". */
export function handle(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, "");
}

/**
 * Every value a document of any kind may mention, drawn once. Two products (the order and another one), a second
 * person, two dates; templates pick what they need.
 */
export function sceneVars(random: Random): Record<string, string> {
  const customer = random.pick(FIRST_NAMES);
  const lastName = random.pick(LAST_NAMES);
  let friend = random.pick(FIRST_NAMES) as string;
  while (friend === customer) friend = random.pick(FIRST_NAMES);
  const product = random.pick(PRODUCTS);
  let other = random.pick(PRODUCTS);
  while (other.name === product.name) other = random.pick(PRODUCTS);
  const service = random.pick(SERVICES);
  const [plan, newPlan] = random.sample(service.plans, 2);
  const [weekday, due] = random.sample(WEEKDAYS, 2);
  const shop = random.pick(SHOPS);
  const price = priceText(random, product.price);
  const pct = random.pick(PERCENTS);
  const quantity = random.weightedIndex([0, 6, 2, 1]);
  const shipping = random.pick(["$0.00", "$4.99", "$5.99", "$7.99", "$9.99"]);
  const total = formatDollars(dollars(price) * quantity + dollars(shipping));
  const email = random.chance(0.6)
    ? `${customer.toLowerCase()}.${lastName.toLowerCase()}@${random.pick(EMAIL_DOMAINS)}`
    : `${customer.toLowerCase()}${random.int(10, 99)}@${random.pick(EMAIL_DOMAINS)}`;
  return {
    customer,
    lastName,
    initial: `${lastName[0]}.`,
    friend,
    agent: random.pick(AGENT_NAMES),
    email,
    shop,
    shopHandle: handle(shop),
    product: product.name,
    a_product: aProduct(product),
    category: product.category,
    ...agreement(product),
    other: other.name,
    a_other: aProduct(other),
    price,
    salePrice: discounted(price, pct),
    otherPrice: priceText(random, other.price),
    quantity: String(quantity),
    shipping,
    total,
    order: orderNumber(random),
    order2: orderNumber(random),
    tracking: `${random.pick(["SP", "NX", "CC", "PW", "BR", "MP"])}${random.int(100000000, 999999999)}`,
    carrier: random.pick(CARRIERS),
    date: dayOfYear(random),
    date2: dayOfYear(random),
    month: random.pick(MONTHS),
    year: random.pick(YEARS),
    weekday,
    due,
    days: random.pick(["2", "3", "5", "7", "10", "14"]),
    hours: random.pick(["12", "24", "48"]),
    window: random.pick(["14", "30", "60", "90"]),
    warrantyYears: random.pick(["one", "two", "three"]),
    pct,
    code: random.pick(PROMO_CODES),
    last4: String(random.int(1000, 9999)),
    zip: String(random.int(10000, 99999)),
    street: `${random.int(2, 250)} ${random.pick(STREETS)}`,
    city: random.pick(CITIES),
    city2: random.pick(CITIES),
    team: random.pick(TEAMS),
    service: service.name,
    serviceKind: service.kind,
    plan,
    newPlan,
    planPrice: priceText(random, [5, 30]),
    newPlanPrice: priceText(random, [5, 30]),
    caseNumber: String(random.int(100000, 999999)),
    minutes: random.pick(["10", "15", "20", "30", "45"]),
    rating: String(random.int(1, 5)),
    count: String(random.int(2, 40)),
  };
}
