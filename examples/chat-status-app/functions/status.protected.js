// Conversations onMessageAdded webhook: answers "/status" in the conversation it was sent to.
//
// Protected: Twilio runs it only for requests with a valid X-Twilio-Signature, which every
// Conversations webhook carries, so strangers cannot make it post into conversations.
// Twilio calls a post-event webhook once per message; this Function answers within the
// 5 s Conversations webhook timeout because it makes one API call.

const STATUS_COMMAND = '/status';

/**
 * The reply to a message body, or null when the message is not a command this Function answers.
 * @param {string} body the message text
 * @param {object} context the Function's context (environment variables, domain)
 */
function replyTo(body, context) {
  if (typeof body !== 'string' || body.trim().toLowerCase() !== STATUS_COMMAND) {
    return null;
  }
  const environment = context.ENVIRONMENT_NAME || context.DOMAIN_NAME || 'unknown';
  return `chatops status: ok (environment ${environment}, ${new Date().toISOString()})`;
}

exports.replyTo = replyTo;

exports.handler = async function handler(context, event, callback) {
  const response = new Twilio.Response();
  response.appendHeader('Content-Type', 'application/json');
  // Other events of the same webhook (onConversationAdded, ...) and the bot's own replies are ignored.
  if (event.EventType !== 'onMessageAdded' || event.Author === 'chatops-status') {
    response.setBody({ ignored: true });
    return callback(null, response);
  }
  const reply = replyTo(event.Body, context);
  if (reply === null) {
    response.setBody({ ignored: true });
    return callback(null, response);
  }
  try {
    const service = event.ChatServiceSid
      ? context.getTwilioClient().conversations.v1.services(event.ChatServiceSid)
      : context.getTwilioClient().conversations.v1;
    await service.conversations(event.ConversationSid).messages.create({ author: 'chatops-status', body: reply });
    response.setBody({ replied: true });
    return callback(null, response);
  } catch (error) {
    // The webhook's answer is what Twilio logs: say what failed, never the credentials.
    response.setStatusCode(502);
    response.setBody({ replied: false, error: error.message });
    return callback(null, response);
  }
};
