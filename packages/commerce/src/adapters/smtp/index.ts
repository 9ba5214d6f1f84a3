/**
 * SMTP email for @platform/commerce, on nodemailer (an optional peer dependency).
 * @packageDocumentation
 */
export { SmtpEmailSender, smtpOptionsFromEnv, smtpOptionsSchema, type SmtpOptions } from "./smtp-email-sender.js";
