// Emails about orders, deliveries, refunds, accounts and subscriptions: what shops and services send (confirmations,
// shipping notices, delays, refunds, return labels, replacements, reset links, plan changes, escalations) and what
// customers write to support. Each carries the numbers such mail carries: order and tracking numbers, amounts,
// dates, card digits, plan prices.
import { Random } from "../../../random";
import { dollars, formatDollars } from "../chat/lexicon";
import { say } from "../chat/phrase";
import { handle, sceneVars } from "./world";

/** Version of the email documents; bump when their text changes. */
export const EMAIL_DOCUMENT_VERSION = "1";

interface EmailType {
  /** The company the email is from or to: a shop or a subscription service. */
  party: "shop" | "service";
  /** Whether the customer writes it (to the company's support) rather than the company. */
  byCustomer?: boolean;
  subjects: readonly string[];
  /** Body sentences in order: one pattern is picked per slot; a slot holding "" may be left out. */
  body: readonly (readonly string[])[];
}

const EMAILS: readonly EmailType[] = [
  {
    party: "shop",
    subjects: ["Your {sender} order #{order} is confirmed", "Thanks for your order, {customer}!", "Order confirmation: #{order}", "We received your order {order}"],
    body: [
      ["Thanks for shopping with {sender}! We've received your order #{order}, placed on {date}.", "Thank you for your order. Here is a summary of order {order} from {date}.", "Your order {order} is confirmed and we're getting it ready."],
      ["Items: {quantity} x {product}, {price} each.", "{quantity} x {product} ({price})", "Item: {product}, quantity {quantity}, price {price}."],
      ["Shipping: {shipping}. Order total: {total}.", "Subtotal plus shipping ({shipping}): {total}.", "Total charged to your card ending in {last4}: {total}."],
      ["Delivery address: {customer} {lastName}, {street}, {city} {zip}.", "We'll deliver to {street}, {city}.", ""],
      ["We'll email you again when your order ships.", "You'll get a tracking number as soon as it leaves our warehouse.", "Need to change something? You can change the address within one hour of ordering."],
    ],
  },
  {
    party: "shop",
    subjects: ["Your order #{order} has shipped", "Your {product} {is} on its way", "Shipping update for order {order}", "Good news: order {order} is on the way"],
    body: [
      ["Good news, {customer}! Your {product} {is} on its way.", "Your order {order} left our warehouse in {city2} today.", "We've handed your package to {carrier}."],
      ["Carrier: {carrier}. Tracking number: {tracking}.", "You can follow it with tracking number {tracking} on the {carrier} website.", "Tracking number: {tracking}"],
      ["Expected delivery: {weekday}, {date}.", "It should arrive within {days} business days.", "Estimated arrival: {weekday}."],
      ["Someone may need to sign for it.", "If nobody is home, the carrier leaves it with a neighbor or at the front door.", ""],
    ],
  },
  {
    party: "shop",
    subjects: ["Update on your order #{order}", "Your package is running late", "We're sorry: a delay with order {order}", "Delivery delay for your {product}"],
    body: [
      ["We're sorry, {customer}, but your package is running late.", "Your order {order} has been held up at the carrier's sorting center.", "Because of [bad weather|a backlog at the depot|a mislabeled box], your {product} {is} delayed."],
      ["{carrier} now expects to deliver it by {weekday}.", "The new delivery date is {date}.", "It should reach you within another {days} business days."],
      ["We apologize for the inconvenience.", "We know you were waiting for it, and we're sorry for the trouble.", ""],
      ["As a thank you for your patience, here is a {pct}% discount on your next order: {code}.", "If it has not arrived by {weekday}, reply to this email and we'll send a replacement or a full refund.", ""],
    ],
  },
  {
    party: "shop",
    subjects: ["Your package was delivered", "Delivered: order #{order}", "Your {product} has arrived"],
    body: [
      ["Your order {order} was delivered on {date} at [9:40 am|12:15 pm|3:05 pm|6:50 pm].", "{carrier} delivered your {product} today.", "Your package was delivered to {street}."],
      ["It was left at the front door.", "It was handed to a neighbor.", "It was left in your mailbox.", ""],
      ["If you can't find it, reply to this email within {days} days and we'll ask the carrier to search for it.", "Not there? Check around your door first, then contact us.", ""],
      ["We hope you enjoy {itObj}!", "Tell us what you think by rating your {product} from 1 to 5 stars.", ""],
    ],
  },
  {
    party: "shop",
    subjects: ["Your refund of {price} has been processed", "Refund issued for order #{order}", "We've refunded {price}"],
    body: [
      ["We've issued a full refund of {price} for the {product} (order {order}).", "Your refund for order {order} is on its way: {price} back to your card ending in {last4}.", "Our returns team received your {product}, and we've refunded {price}."],
      ["Please allow {days} business days for it to appear on your statement.", "Banks usually take {days} business days to show a refund.", "It should show up within {days} business days."],
      ["We're sorry the {product} didn't work out.", "Thanks for shopping with us.", ""],
    ],
  },
  {
    party: "shop",
    subjects: ["Your partial refund for order #{order}", "Price adjustment: we refunded {difference}", "Good news about your {product}"],
    body: [
      ["The {product} you bought on {date} {is} now on sale for {salePrice}.", "You asked for a price adjustment on order {order}.", "The price of your {product} dropped from {price} to {salePrice}."],
      ["Because the price dropped within 14 days of your purchase, we've refunded the difference of {difference}.", "We've issued a partial refund of {difference} to your card ending in {last4}.", "The difference, {difference}, is on its way back to you."],
      ["It should show up within {days} business days.", ""],
    ],
  },
  {
    party: "shop",
    subjects: ["Your prepaid return label", "Return label for order #{order}", "How to send back your {product}"],
    body: [
      ["Here is your prepaid return label for order {order}.", "As promised, we've attached a free return label for the {product}.", "Your return for the {product} has been approved."],
      ["Print it, attach it to the box and drop the package off at any {carrier} location within {days} days.", "Pack the item in any sturdy box, stick the label on it and hand it to {carrier}.", "No printer? Show the code in this email at a {carrier} shop."],
      ["Once our returns team receives it, we'll refund {price} to your original payment method.", "We'll issue your refund as soon as the package reaches our warehouse.", "You'll receive store credit of {price} once it arrives back."],
    ],
  },
  {
    party: "shop",
    subjects: ["A replacement is on its way", "We're sending a new {product}", "Your replacement for order #{order}"],
    body: [
      ["We're sorry your {product} arrived damaged.", "We're sorry you received the wrong item in order {order}.", "Sorry about the trouble with your {product}."],
      ["We've sent a free replacement (order {order2}) that should arrive by {weekday}.", "A new {product} ships today with express delivery, at no cost to you.", "Your replacement left our warehouse this morning; tracking number {tracking}."],
      ["There's no need to send the old one back.", "Please send the wrong item back with the prepaid label attached to this email.", ""],
    ],
  },
  {
    party: "shop",
    subjects: ["{credit} in store credit was added to your account", "Your store credit", "A credit for your next order"],
    body: [
      ["We've added {credit} in store credit to your account for order {order}.", "As discussed with {agent}, your account now holds {credit} in store credit.", "Instead of a refund, you'll receive store credit worth {credit}."],
      ["It never expires and can be used on anything in the store.", "It is applied automatically at checkout.", "You can see your balance on your account page."],
    ],
  },
  {
    party: "shop",
    subjects: ["We've reversed a duplicate charge", "About the double charge on order #{order}", "Your card was charged twice: fixed"],
    body: [
      ["Our system charged your card twice for order {order} when the page reloaded.", "We noticed a double charge of {price} on your card ending in {last4}.", "You told us you were charged twice for the {product}."],
      ["We've reversed the extra charge of {price}.", "The second charge was only a pending hold, and it will drop off on its own.", "We've refunded the duplicate payment of {price}."],
      ["It should disappear from your statement within {days} business days.", "Your bank may need until {weekday} to release it.", ""],
      ["We apologize for the inconvenience.", "Sorry for the trouble, and thanks for letting us know.", ""],
    ],
  },
  {
    party: "shop",
    subjects: ["Your repair is booked (case {caseNumber})", "Warranty repair for your {product}", "Free repair confirmed"],
    body: [
      ["Your {product} {is} still under warranty, so the repair is free.", "Thanks for contacting our repair team about your {product}.", "We've booked a free repair under the {warrantyYears}-year warranty."],
      ["Ship {itObj} with the attached label; we'll fix {itObj} within {days} business days and send {itObj} back.", "Please pack {itObj} well and drop {itObj} off with {carrier} by {weekday}.", "Repairs usually take {days} business days."],
      ["Your case number is {caseNumber}.", ""],
    ],
  },
  {
    party: "shop",
    subjects: ["Delivery address updated for order #{order}", "We've changed your delivery address", "New address saved"],
    body: [
      ["As requested, your order {order} will now be delivered to {street}, {city} {zip}.", "We caught your order in time and changed the address to {street}, {city}.", "Your new address, {street} in {city}, is saved."],
      ["The delivery date stays the same: {weekday}.", "You'll get an updated confirmation email when it ships.", ""],
    ],
  },
  {
    party: "shop",
    subjects: ["Your case {caseNumber} has been passed to a specialist", "An update on your support request", "We've escalated your case"],
    body: [
      ["Thank you for contacting {sender} support.", "Thanks for your patience while we look into your request.", "{agent} from our support team has escalated your case."],
      ["A specialist from our {team} will contact you within {days} business days.", "Our {team} handles cases like yours and will email you by {weekday}.", "Your case is now with a specialist on the {team}."],
      ["Please keep your order number, {order}, handy.", "Your case number is {caseNumber}.", ""],
    ],
  },
  {
    party: "shop",
    subjects: ["How do you like your {product}?", "Rate your recent purchase", "{customer}, tell us about your {product}"],
    body: [
      ["Your {product} arrived {days} days ago.", "Thanks again for your order {order}.", "We hope you're enjoying your {product}."],
      ["Would you take a minute to rate it from 1 to 5 stars?", "Your review helps the next shopper choose.", "Tell us what you like and what we could do better."],
    ],
  },
  {
    party: "shop",
    subjects: ["{pct}% off everything this weekend", "Our {month} sale starts now", "A gift for you: {pct}% off", "Last chance: code {code} ends {weekday}"],
    body: [
      ["Use code {code} at checkout until {weekday} and save {pct}% on your order.", "This weekend only, everything at {sender} is {pct}% off with code {code}.", "Our biggest sale of the year is here."],
      ["Our best-selling {product} {is} now {salePrice} instead of {price}.", "The {product} and the {other} are back in stock.", "Members get free shipping on every order."],
      ["The code cannot be used on clearance items.", "One code per order. Sign in before you apply it.", ""],
    ],
  },
  {
    party: "service",
    subjects: ["Reset your {sender} password", "Your password reset link", "Password reset request"],
    body: [
      ["We received a request to reset the password for {email}.", "Someone, hopefully you, asked to reset your {sender} password.", "Here is the reset link you asked for."],
      ["Click the link below to choose a new password. It expires in one hour.", "This link works once and expires after one hour.", "Use the newest reset email; older links no longer work."],
      ["If you did not ask for a reset, you can ignore this email.", "If the link doesn't open, try a private window or clear your browser cache.", ""],
    ],
  },
  {
    party: "service",
    subjects: ["Your account has been locked", "Security alert: account locked", "We locked your {sender} account"],
    body: [
      ["We noticed several failed sign-in attempts on your account.", "Someone tried to sign in to your account from a new device.", "For your security, your account is temporarily locked."],
      ["The lock lifts on its own after {hours} hours.", "You can wait {hours} hours for the lock to expire or contact our account security team.", "To unlock it sooner, reply to this email."],
      ["We'll verify your identity first by asking for your email and billing zip code.", "We never ask for your password.", ""],
    ],
  },
  {
    party: "service",
    subjects: ["Your plan has changed", "Welcome to the {newPlan}", "Confirmation: you switched to the {newPlan}"],
    body: [
      ["You've switched from the {plan} to the {newPlan}.", "Your {sender} plan is now the {newPlan}.", "As requested, we moved your account to the {newPlan}."],
      ["Your new price is {newPlanPrice} a month, starting with your next bill on {date}.", "The change is effective today; you'll pay {newPlanPrice} a month.", "You'll see the new price of {newPlanPrice} on your next bill."],
      ["You can change plans again at any time from your account.", ""],
    ],
  },
  {
    party: "service",
    subjects: ["Your {plan} renews on {date}", "Renewal reminder", "Your subscription renews soon"],
    body: [
      ["Your {sender} {plan} will renew on {date} for {planPrice}.", "Just a reminder: your subscription renews on {date}.", "Your {plan} renews in {days} days."],
      ["To switch plans or cancel, visit your account before then.", "No action is needed if you want to keep it.", "Yearly plans can only be changed at renewal."],
    ],
  },
  {
    party: "service",
    subjects: ["Your {sender} subscription is cancelled", "We're sorry to see you go", "Cancellation confirmed"],
    body: [
      ["We're sorry to see you go, {customer}.", "As requested, we've cancelled your {plan}.", "Your cancellation is confirmed."],
      ["You won't be charged again, and you'll keep access until {date}.", "Your subscription stays active until the end of the billing period on {date}.", "There will be no more charges after today."],
      ["If you change your mind, you can come back any time.", ""],
    ],
  },
  {
    party: "service",
    subjects: ["We couldn't process your payment", "Payment failed for your {plan}", "Action needed: update your card"],
    body: [
      ["Your card ending in {last4} was declined for {planPrice}.", "We tried to charge {planPrice} for your {plan}, but the payment failed.", "Your last payment didn't go through."],
      ["Please update your payment method by {weekday} to keep your subscription.", "We'll try again in {days} days.", "Your access continues until {date}."],
    ],
  },
  {
    party: "shop",
    byCustomer: true,
    subjects: ["Problem with order #{order}", "Damaged {product}", "Order {order} arrived broken"],
    body: [
      ["I ordered {a_product} on {date} and {it} arrived with a [cracked lid|broken handle|dent on the side|torn box and scratches].", "My order {order} came today, but the {product} {is} damaged."],
      ["I've attached a photo of the damage.", "The box looked fine, so it must have happened before shipping.", ""],
      ["Could you send a replacement?", "I'd like a refund of {price}, please.", "What are my options?"],
    ],
  },
  {
    party: "shop",
    byCustomer: true,
    subjects: ["Where is my order?", "Order {order} still not here", "Late delivery"],
    body: [
      ["I ordered {a_product} on {date}, and {it} still {has}n't arrived.", "The tracking for order {order} hasn't moved for {days} days.", "My package was supposed to arrive on {due}."],
      ["I need it by {weekday} for [a birthday|a trip|my new apartment].", "Can you check with the carrier?", ""],
      ["If it's lost, please send a new one or refund me.", "Please let me know what's going on.", ""],
    ],
  },
  {
    party: "shop",
    byCustomer: true,
    subjects: ["Wrong item in order {order}", "I got the wrong item", "This is not what I ordered"],
    body: [
      ["I ordered {a_product}, but the box contained {a_other}.", "Order {order} had the wrong item inside: {a_other} instead of the {product}."],
      ["Please send the {product} and tell me how to return the {other}.", "Can you send the right item before {weekday}?"],
    ],
  },
  {
    party: "shop",
    byCustomer: true,
    subjects: ["Refund request", "Returning the {product}", "Refund for order {order}"],
    body: [
      ["I'd like to return the {product} from order {order}.", "I bought {a_product} for {price} on {date}, and {it} {is} not what I expected."],
      ["{It} {is} [too small|the wrong color|smaller than in the photos|not as described].", "I've only used {itObj} once.", "{It} {is} still in the box."],
      ["Could you send me a return label?", "How long does the refund take?", "Can I get store credit instead?"],
    ],
  },
  {
    party: "shop",
    byCustomer: true,
    subjects: ["Charged twice", "Double charge on my card", "Two payments for one order"],
    body: [
      ["My bank statement shows two charges of {price} for order {order}.", "I was charged twice for the {product} on {date}."],
      ["I only placed one order.", "The page froze when I paid, so maybe that's why.", ""],
      ["Please refund the extra charge.", "Can you check this and send the money back?"],
    ],
  },
  {
    party: "service",
    byCustomer: true,
    subjects: ["Cancel my subscription", "Please cancel my {plan}", "Cancellation"],
    body: [
      ["Please cancel my {sender} {plan} at the end of this month.", "I'd like to cancel my subscription; the account email is {email}."],
      ["I don't use it enough anymore.", "It's too expensive for me right now.", ""],
      ["Can you confirm that I won't be charged again?", "Please confirm the date my access ends."],
    ],
  },
  {
    party: "shop",
    byCustomer: true,
    subjects: ["Promo code not working", "Code {code} doesn't work", "Discount code problem"],
    body: [
      ["I tried to use code {code} on my order, but it says the code is not valid.", "The code {code} from your email doesn't apply to my cart."],
      ["My cart total is {total}.", "I'm trying to buy the {product}.", ""],
      ["Can you help?", "Could you apply the discount for me?"],
    ],
  },
];

const SHOP_GREETINGS = ["Hi {customer},", "Hello {customer},", "Dear {customer} {lastName},", "Hi there,", "Hello,", "Dear shopper,"];
const SHOP_SIGNATURES = ["Thanks,\nThe {sender} team", "Best regards,\n{agent}\n{sender} Customer Care", "Happy shopping!\n{sender}", "Kind regards,\nThe {sender} support team", "{sender} Customer Service"];
const CUSTOMER_GREETINGS = ["Hello,", "Hi {sender} team,", "Dear customer service,", "Hi,"];
const CUSTOMER_SIGNATURES = ["Thanks,\n{customer}", "Best,\n{customer} {lastName}", "Thank you,\n{customer} {lastName}", "{customer}"];

/** The header lines: always a subject; sometimes From, To and Date as well. */
function header(random: Random, type: EmailType, vars: Record<string, string>): string[] {
  const subject = `Subject: ${say(type.subjects, random, vars)}`;
  if (random.chance(0.4)) return [subject];
  const shopAddress = `${random.pick(["orders", "support", "hello", "no-reply", "help"])}@${handle(vars.sender)}.example`;
  const from = type.byCustomer ? `${vars.customer} ${vars.lastName} <${vars.email}>` : `${vars.sender} <${shopAddress}>`;
  const to = type.byCustomer ? `support@${handle(vars.sender)}.example` : vars.email;
  return [`From: ${from}`, `To: ${to}`, subject, `Date: ${vars.weekday}, ${vars.date}, ${vars.year}`];
}

/** One email, header and body. */
export function emailDocument(random: Random): string {
  const type = random.pick(EMAILS);
  const scene = sceneVars(random);
  const vars: Record<string, string> = {
    ...scene,
    sender: type.party === "service" ? scene.service : scene.shop,
    difference: formatDollars(Math.max(1, dollars(scene.price) - dollars(scene.salePrice))),
    credit: random.chance(0.5) ? scene.price : random.pick(["$10.00", "$15.00", "$20.00", "$25.00", "$50.00"]),
  };
  const lines = header(random, type, vars);
  const customer = type.byCustomer === true;
  lines.push(say(customer ? CUSTOMER_GREETINGS : SHOP_GREETINGS, random, vars));
  const sentences = type.body.map((slot) => say(slot, random, vars)).filter((s) => s !== "");
  // Short bodies read as one paragraph; longer ones sometimes break after the first sentence.
  if (sentences.length > 2 && random.chance(0.5)) lines.push(sentences[0], sentences.slice(1).join(" "));
  else lines.push(sentences.join(" "));
  lines.push(say(customer ? CUSTOMER_SIGNATURES : SHOP_SIGNATURES, random, vars));
  return lines.join("\n");
}
