// Help-center pages of the shops and subscription services: a topic (returns, refunds, payments, shipping, orders,
// promo codes, price adjustments, warranty, account security, contacting support, subscriptions) and a few questions with answers. They
// explain the policies the chats apply (return windows, refunds and store credit, pending charges, carrier
// searches, reset links, security locks, plan changes at renewal) and how support handles a case.
import { Random } from "../../../random";
import { say } from "../chat/phrase";
import { handle, sceneVars } from "./world";

/** Version of the FAQ pages; bump when their text changes. */
export const FAQ_PAGE_VERSION = "1";

interface Topic {
  /** Ways to title the page. */
  titles: readonly string[];
  /** [question, answer] patterns. */
  entries: readonly (readonly [string, string])[];
  /** Whether the page belongs to a subscription service rather than a shop. */
  service?: boolean;
}

const TOPICS: readonly Topic[] = [
  {
    titles: ["Returns and refunds", "Returning an item", "Refunds"],
    entries: [
      ["How do I return an item?", "Start a return from your orders page within {window} days of delivery. We email you a prepaid return label; pack the item, attach the label and drop it off with {carrier}."],
      ["How long does a refund take?", "Once the item reaches our returns team, we issue the refund within {days} business days. Your bank may take a few more days to show it on your statement."],
      ["Can I get store credit instead of a refund?", "Yes. Store credit is added to your account right away, never expires and can be used on anything in the store."],
      ["Do I need the original box?", "It helps, but any sturdy box is fine."],
      ["Can I return a clearance item?", "No. Clearance items are final sale, as the product page says."],
      ["What if the return window has passed?", "After {window} days we can no longer accept returns, but items under warranty can still be repaired."],
      ["Can I return something I have already used?", "We can only take back items in new condition. Used items may be eligible for store credit instead of a refund."],
      ["Will I get a full refund?", "You get a full refund of the item price. Shipping costs are refunded when the item was damaged or wrong."],
    ],
  },
  {
    titles: ["Payments and charges", "Billing questions", "Charges on your card"],
    entries: [
      ["Why was I charged twice?", "Usually the second charge is only a pending hold that drops off within {days} business days. If both charges went through, our billing team refunds the extra one."],
      ["What is a pending charge?", "A pending charge is a hold your bank places while a payment is checked. It is not a real payment and disappears on its own."],
      ["When is my card charged?", "We charge your card when your order ships, not when you place it."],
      ["Which payment methods do you accept?", "Credit and debit cards, store credit and gift cards."],
      ["My refund has not arrived. What should I do?", "Refunds can take up to {days} business days to post. If it has been longer, contact our billing team with your order number."],
      ["Is my card safe?", "Yes. We never store your full card number, only the last four digits."],
    ],
  },
  {
    titles: ["Shipping and delivery", "Where is my order?", "Delivery times"],
    entries: [
      ["How long does delivery take?", "Standard delivery takes {days} business days. Express delivery arrives within two business days."],
      ["My package is late. What can I do?", "Check the tracking link in your shipping email first. Delays at the carrier usually clear within a few days; if the package has not moved for a week, contact our shipping team."],
      ["My package says delivered, but I don't have it.", "Check with neighbors and around your door first. If it does not turn up, we ask the carrier to search for it, which takes up to {days} business days, and then send a replacement or a refund."],
      ["Do you ship to {city}?", "Yes, we deliver to every address in the country."],
      ["Is shipping free?", "Shipping is free on orders over $35. Below that, standard shipping costs {shipping}."],
      ["Can I track my order?", "Yes. When your order ships we email you a tracking number from {carrier}."],
    ],
  },
  {
    titles: ["Changing or cancelling an order", "Order changes", "Your orders"],
    entries: [
      ["Can I change the delivery address?", "You can change the address within the one-hour window after ordering. Once the package has left our warehouse, the address is locked."],
      ["Can I cancel my order?", "Orders can be cancelled until they ship. After that, please return the item for a refund."],
      ["I received the wrong item. What now?", "Sorry about that! Tell us the order number and we send the right item with a free return label for the wrong one."],
      ["My item arrived damaged.", "Please send a photo of the damage. We ship a replacement at no cost or refund you, whichever you prefer."],
      ["Where do I find my order number?", "It is in your order confirmation email and on your orders page. Order numbers have 6 to 8 digits."],
    ],
  },
  {
    titles: ["Promo codes and discounts", "Using a promo code", "Discounts"],
    entries: [
      ["Why doesn't my promo code work?", "Check that the code has not expired and that there is no extra space in it. Some codes are only for first orders, and codes do not apply to items already on sale."],
      ["Can I use two codes at once?", "Only one promo code can be used per order."],
      ["Do I need to sign in to use a code?", "Yes, sign in before you apply the code, or it may not show up in your cart."],
      ["The code disappeared from my cart.", "Try removing the item and adding it to the cart again, then apply the code once more."],
      ["Do promo codes expire?", "Yes, every code has an end date. {code}, for example, ends on {date}."],
    ],
  },
  {
    titles: ["Price adjustments", "Price drops after you buy", "Our price promise"],
    entries: [
      ["The price dropped after I bought it. Can I get the difference?", "Yes, if the price drops within 14 days of purchase, we refund the difference as a partial refund."],
      ["Are sale prices eligible for a price adjustment?", "Regular sales are. Members-only deals and clearance prices are not eligible for adjustments."],
      ["How do I ask for a price adjustment?", "Contact our billing team with your order number and a link to the lower price."],
    ],
  },
  {
    titles: ["Warranty and repairs", "Repairs", "Your warranty"],
    entries: [
      ["What does the warranty cover?", "The warranty covers defects for {warrantyYears} years from the date of purchase. It does not cover accidental damage, drops or water damage."],
      ["How do I get a free repair?", "Contact our repair team with your order number. If the item is still under warranty, the team books a free repair, emails a shipping label and repairs it within {days} business days."],
      ["My warranty has expired. Can you still help?", "We can repair it for a fee, or offer a discount on a new one."],
      ["Do I need my receipt?", "No, your order number is enough."],
    ],
  },
  {
    titles: ["Account and security", "Signing in", "Passwords and account locks"],
    entries: [
      ["I didn't get the password reset email.", "Check your spam folder and use the newest reset email, because older links stop working. Each reset link expires after one hour."],
      ["The reset link keeps failing.", "Try opening the link in a private window, clearing your browser cache, or turning off a VPN."],
      ["Why is my account locked?", "After too many failed sign-in attempts we lock the account for {hours} hours to keep it safe. You can wait for the lock to lift or ask our account security team to unlock it."],
      ["How do you verify my identity?", "We ask for the email on the account and your billing zip code before we make any changes."],
      ["Can I change the email on my account?", "Yes, from your account settings. We send a confirmation link to the new address."],
    ],
  },
  {
    titles: ["Contacting support", "How our support works", "What happens after you contact us"],
    entries: [
      ["What happens when I contact support?", "An agent reads your message, checks your order and confirms the details with you. Most issues are solved in the first chat."],
      ["Who handles my case?", "A support agent takes your case first. If it needs a specialist, the agent escalates it to the {team}, and a specialist contacts you within {days} business days."],
      ["How long does an escalation take?", "Most escalations are answered within {days} business days. We email you when there is news."],
      ["Can I get cash back instead of store credit?", "Refunds go back to the original payment method; we cannot pay out cash."],
      ["What if the first solution does not work?", "Reply to the same conversation. The next agent sees the notes on your case and what was promised."],
      ["Do you give an apology credit?", "When we make a mistake, the agent may add a discount or store credit to your account as an apology."],
      ["How fast do you answer messages?", "Chats are answered within minutes; emails and messages within {hours} hours."],
    ],
  },
  {
    service: true,
    titles: ["Managing your subscription", "Plans and billing", "Your {service} subscription"],
    entries: [
      ["How do I switch plans?", "Go to your account and choose a new plan. Monthly plans switch right away; yearly plans can only be changed at renewal."],
      ["How much is the {plan}?", "The {plan} is {planPrice} a month. The {newPlan} is {newPlanPrice} a month."],
      ["How do I cancel my subscription?", "You can cancel at any time from your account. You keep access until the end of the billing period and are not charged again."],
      ["Can I cancel a yearly contract early?", "Yearly contracts run for 12 months and cannot be cancelled early, but they will not renew if you turn off renewal."],
      ["Why isn't the {newPlan} available to me?", "Some plans are not offered in every country yet."],
      ["When will I be charged?", "Your plan renews on the same day each month. You get an email a few days before each renewal."],
      ["Can I pause my subscription?", "Yes, for up to three months, once a year."],
    ],
  },
];

const CONTACT = [
  "Still need help? Chat with our support team every day from 8 am to 8 pm.",
  "Can't find your answer? Contact us at help@{handle}.example and we reply within {hours} hours.",
  "Our support agents are available by chat seven days a week.",
  "Was this page helpful? Yes / No",
];

/** One help-center page: a topic, three to five questions with answers, sometimes how to reach support. */
export function faqDocument(random: Random): string {
  const topic = random.pick(TOPICS);
  const vars = sceneVars(random);
  const owner = topic.service ? vars.service : vars.shop;
  const scoped = { ...vars, handle: handle(owner) };
  const lines = [`${owner} Help Center: ${say(topic.titles, random, scoped)}`];
  const entries = random.sample(topic.entries, Math.min(topic.entries.length, random.int(3, 5)));
  const style = random.int(0, 2);
  for (const [question, answer] of entries) {
    const q = say([question], random, scoped);
    const a = say([answer], random, scoped);
    lines.push(style === 0 ? `Q: ${q}\nA: ${a}` : style === 1 ? `${q}\n${a}` : `${q} ${a}`);
  }
  if (random.chance(0.6)) lines.push(say(CONTACT, random, scoped));
  return lines.join("\n");
}
