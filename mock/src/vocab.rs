//! The mock's vocabulary: intents, channels, people and message texts.
//!
//! Intent names include spaces and accents on purpose ("réclamation", "café
//! rewards"): they become table keys and CSS-selector values in the dashboard,
//! which must cope. The bot and agent intent sets overlap but differ, so the
//! Intents panel changes when `intenttype` does. Texts carry every redaction token
//! of the vendor spec plus a provider-specific one (`****LOYALTY_ID****`).

pub struct Intent {
    pub name: &'static str,
    /// Relative frequency as a bot intent (0 = never a bot intent).
    pub bot_w: f64,
    /// Relative frequency as an agent intent (0 = never an agent intent).
    pub agent_w: f64,
    pub workflow: &'static str,
    /// "Training phrases": what `topmatches[].text` quotes.
    pub phrases: [&'static str; 2],
    /// What customers write.
    pub customer: [&'static str; 2],
}

macro_rules! intent {
    ($name:expr, $b:expr, $a:expr, $wf:expr, [$p1:expr, $p2:expr], [$c1:expr, $c2:expr]) => {
        Intent { name: $name, bot_w: $b, agent_w: $a, workflow: $wf, phrases: [$p1, $p2], customer: [$c1, $c2] }
    };
}

pub const INTENTS: &[Intent] = &[
    intent!(
        "order status",
        14.0,
        8.0,
        "Order Tracking",
        ["where is my order", "track my package"],
        [
            "Hi, where is my order ****ID****? It was supposed to arrive on ****DATE****.",
            "Can you track order ****NUMERIC****? I live in ****GPE****."
        ]
    ),
    intent!(
        "billing",
        10.0,
        10.0,
        "Billing",
        ["question about my bill", "why was I charged"],
        ["Why was I charged ****MONEY**** on ****DATE****?", "My bill shows ****MONEY**** twice, account ****ID****."]
    ),
    intent!(
        "réclamation",
        0.0,
        7.0,
        "Escalations",
        ["je veux faire une réclamation", "formal complaint"],
        [
            "Je veux faire une réclamation concernant ma commande ****ID****.",
            "I want to file a formal complaint about your store in ****GPE****."
        ]
    ),
    intent!(
        "change address",
        4.0,
        3.0,
        "Account",
        ["update my address", "I moved"],
        [
            "I moved to ****GPE****, please update my address for ****NAME****.",
            "Change my delivery address, my email is ****EMAIL****."
        ]
    ),
    intent!(
        "cancel subscription",
        4.0,
        6.0,
        "Subscriptions",
        ["cancel my subscription", "stop my plan"],
        [
            "Please cancel my subscription ****ID**** before ****DATE****.",
            "How do I stop my plan? I pay ****MONEY**** a month."
        ]
    ),
    intent!(
        "password reset",
        8.0,
        0.0,
        "Account",
        ["reset my password", "forgot password"],
        [
            "I forgot my password, my login is ****EMAIL****.",
            "Reset password for ****NAME**** please, code ****NUMERIC**** did not work."
        ]
    ),
    intent!(
        "refund",
        5.0,
        8.0,
        "Returns & Refunds",
        ["I want a refund", "money back"],
        [
            "I want a refund of ****MONEY**** for order ****ID****.",
            "Still no refund since ****DATE****, this is unacceptable!"
        ]
    ),
    intent!(
        "delivery delay",
        7.0,
        6.0,
        "Order Tracking",
        ["my delivery is late", "package delayed"],
        [
            "My package was due at ****TIME**** on ****DATE**** and never came.",
            "The courier ****ORG**** says it is stuck in ****GPE****."
        ]
    ),
    intent!(
        "store hours",
        6.0,
        0.0,
        "Main Menu",
        ["what time do you open", "opening hours"],
        ["What time does the ****GPE**** store open on ****DATE****?", "Are you open after ****TIME****?"]
    ),
    intent!(
        "pricing",
        5.0,
        0.0,
        "Main Menu",
        ["how much does it cost", "price of"],
        [
            "How much is the premium plan? ****ORG**** offers it for ****MONEY****.",
            "Is the price still ****MONEY**** after ****DATE****?"
        ]
    ),
    intent!(
        "technical support",
        5.0,
        10.0,
        "Tech Support",
        ["the app is not working", "error message"],
        [
            "The app crashes with error ****NUMERIC**** since ****TIME****.",
            "My device ****ID**** won't connect, I tried everything."
        ]
    ),
    intent!(
        "account locked",
        4.0,
        5.0,
        "Account",
        ["my account is locked", "cannot log in"],
        [
            "My account ****EMAIL**** is locked, I can't log in.",
            "Locked out after entering code ****NUMERIC**** three times."
        ]
    ),
    intent!(
        "upgrade plan",
        3.0,
        3.0,
        "Subscriptions",
        ["upgrade my plan", "more data"],
        [
            "I'd like to upgrade to the family plan for ****MONEY****.",
            "Can ****NAME**** upgrade my plan today before ****TIME****?"
        ]
    ),
    intent!(
        "payment failed",
        4.0,
        6.0,
        "Billing",
        ["my payment failed", "card declined"],
        [
            "My card was declined for ****MONEY****, bank is ****ORG****.",
            "Payment ****ID**** failed on ****DATE****, please help."
        ]
    ),
    intent!(
        "return item",
        4.0,
        5.0,
        "Returns & Refunds",
        ["return an item", "send it back"],
        [
            "How do I return item ****ID****? I bought it in ****GPE****.",
            "I need a return label sent to ****EMAIL****."
        ]
    ),
    intent!(
        "warranty",
        0.0,
        5.0,
        "Tech Support",
        ["is it under warranty", "warranty claim"],
        [
            "Is serial ****NUMERIC**** still under warranty? Bought on ****DATE****.",
            "Warranty claim for ****NAME****, product ****ID****."
        ]
    ),
    intent!(
        "feedback",
        2.0,
        2.0,
        "Main Menu",
        ["I have feedback", "great service"],
        ["Great service from ****NAME**** at ****ORG****, thank you!", "Your website is confusing, honestly."]
    ),
    intent!(
        "appointment",
        3.0,
        0.0,
        "Appointments",
        ["book an appointment", "reschedule"],
        [
            "Can I book an appointment on ****DATE**** at ****TIME****?",
            "Reschedule my visit in ****GPE****, booking ****ID****."
        ]
    ),
    intent!(
        "café rewards",
        3.0,
        0.0,
        "Loyalty",
        ["check my rewards", "loyalty points"],
        [
            "How many points on card ****LOYALTY_ID****?",
            "My café rewards ****LOYALTY_ID**** did not get the ****MONEY**** credit."
        ]
    ),
    intent!(
        "speak to agent",
        6.0,
        0.0,
        "Handoff",
        ["talk to a human", "agent please"],
        ["Agent please. I have been waiting since ****TIME****.", "Let me talk to a real person, this bot is useless."]
    ),
];

pub const CHANNELS: &[(&str, f64)] = &[
    ("web", 30.0),
    ("sms", 12.0),
    ("whatsapp", 15.0),
    ("facebook", 8.0),
    ("apple", 5.0),
    ("ios", 12.0),
    ("android", 13.0),
    ("email", 5.0),
];

pub const CUSTOMER_FOLLOWUPS: &[&str] = &[
    "ok",
    "Thanks!",
    "That doesn't help at all.",
    "My number is ****NUMERIC****, the name on the account is ****NAME****.",
    "You can reach me at ****EMAIL**** after ****TIME****.",
    "It was at the ****ORG**** branch in ****GPE****.",
    "Order ****ID****, placed ****DATE****, total ****MONEY****.",
    "Loyalty card ****LOYALTY_ID****, if that helps.",
    "Hello?",
    "This is the third time I'm asking!!",
    "Perfect, merci beaucoup 😊",
];

pub const BOT_LINES: &[&str] = &[
    "Hi! I'm the virtual assistant. How can I help you today?",
    "I can help with that. Could you give me your order number?",
    "Thanks. I found order ****ID****; it ships from ****GPE**** on ****DATE****.",
    "Your balance is ****MONEY****, due on ****DATE****.",
    "I've sent a link to ****EMAIL****. It expires at ****TIME****.",
    "Sorry, I didn't get that. Could you rephrase?",
    "Let me connect you to an agent. Current wait is about ****NUMERIC**** minutes.",
    "Is there anything else I can help with?",
];

pub const AGENT_LINES: &[&str] = &[
    "Hi, this is ****NAME****, I'm taking over from the assistant.",
    "I'm sorry about that. Let me look into it.",
    "I've issued a credit of ****MONEY**** to account ****ID****.",
    "I can see a delay at our partner ****ORG**** in ****GPE****.",
    "You'll get a confirmation at ****EMAIL**** by ****TIME**** on ****DATE****.",
    "Could you confirm the last digits ****NUMERIC****?",
    "Your rewards card ****LOYALTY_ID**** has been updated.",
    "I'm transferring you to a specialist, one moment please.",
    "Is there anything else I can do for you today?",
];

pub const AGENTS: &[(&str, &str)] = &[
    ("Maria Lopez", "maria.lopez@support.example"),
    ("James Okafor", "james.okafor@support.example"),
    ("Chloé Martin", "chloe.martin@support.example"),
    ("Wei Zhang", "wei.zhang@support.example"),
    ("Priya Nair", "priya.nair@support.example"),
    ("Tom Becker", "tom.becker@support.example"),
];

pub const CUSTOMERS: &[(&str, &str)] = &[
    ("Alex Rivera", "alex.rivera@mail.example"),
    ("Sam Taylor", "sam.taylor@mail.example"),
    ("Jordan Lee", "jordan.lee@mail.example"),
    ("Noémie Dubois", "noemie.dubois@mail.example"),
    ("Chris Morgan", "chris.morgan@mail.example"),
    ("Fatima Khan", "fatima.khan@mail.example"),
    ("Diego Alvarez", "diego.alvarez@mail.example"),
];

pub const BOT_NAME: &str = "Virtual Assistant";

pub fn intent_weights(agent: bool) -> Vec<f64> {
    INTENTS.iter().map(|i| if agent { i.agent_w } else { i.bot_w }).collect()
}

pub fn channel_weights() -> Vec<f64> {
    CHANNELS.iter().map(|c| c.1).collect()
}
