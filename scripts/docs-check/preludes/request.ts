// Prelude for doc blocks inside an HTTP handler: the request, its session token, parsed body
// fields and the raw body of a webhook.
declare const req: { ip: string; headers: Record<string, string> };
declare const rawBody: string;
declare const token: string;
declare const sessionToken: string;
declare const secret: string;
declare const email: string;
declare const password: string;
declare const currentPassword: string;
declare const newPassword: string;
declare const currentToken: string;
