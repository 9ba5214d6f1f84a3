import { z } from "zod";

/** Schema of an email message (the `EmailMessage` port type). */
export const emailMessageSchema = z.object({
  to: z.string().trim().max(254).pipe(z.email()),
  subject: z.string().min(1).max(300),
  text: z.string().max(100_000),
  html: z.string().max(500_000),
  template: z.string().min(1).max(100),
});

/** Schema of an SMS (the `SmsMessage` port type). */
export const smsMessageSchema = z.object({
  to: z.string().trim().min(3).max(30),
  text: z.string().min(1).max(1600),
  template: z.string().min(1).max(100),
});
