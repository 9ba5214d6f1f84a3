// The specification's social media scenario on @platform/social: two users, two posts, mutual follows,
// two likes and one comment. Notifications are not created by hand (the specification's
// CreateNotification): the platform's rules generate them from what the users do.
//
// With DATABASE_URL set it runs on PostgreSQL (migrating first) instead of the in-memory store;
// usernames and e-mails then carry a per-run suffix so the demo can run again on the same
// database, and the counts below are this run's (read through the services, not table totals).
//
// Run: node node_modules/tsx/dist/cli.mjs --conditions=@platform/source examples/social-demo.ts
//      DATABASE_URL=postgres://... node node_modules/tsx/dist/cli.mjs --conditions=@platform/source examples/social-demo.ts
import { randomBytes } from "node:crypto";
import { ANONYMOUS_ACTOR, type Actor } from "@platform/core";
import { createSocialMediaPlatform, type SocialMediaPlatform } from "@platform/social";
import { createPostgresSocialStore, type PostgresSocialStore } from "@platform/social/postgres";

const databaseUrl = process.env.DATABASE_URL;
const postgres: PostgresSocialStore | undefined = databaseUrl
  ? await createPostgresSocialStore({ connectionString: databaseUrl, migrate: true })
  : undefined;
const run = databaseUrl ? randomBytes(3).toString("hex") : "";
const unique = (username: string) => (run ? `${username}_${run}` : username);

const social = createSocialMediaPlatform(postgres ? { store: postgres } : {});

// A host builds the actor from its own authentication; here each user acts for themselves.
const actorOf = (user: { id: string }): Actor => ({ id: user.id, roles: [] });

const john = await social.users.create(ANONYMOUS_ACTOR, {
  username: unique("john_doe"),
  email: `${unique("john")}@example.com`,
  name: "John Doe",
  bio: "Software engineer and tech enthusiast",
  avatarUrl: "https://cdn.example.com/avatar1.jpg",
});
const jane = await social.users.create(ANONYMOUS_ACTOR, {
  username: unique("jane_smith"),
  email: `${unique("jane")}@example.com`,
  name: "Jane Smith",
  bio: "Designer and artist",
  avatarUrl: "https://cdn.example.com/avatar2.jpg",
});

const post1 = await social.posts.create(actorOf(john), {
  content: "Just finished building an amazing e-commerce platform! #coding #golang",
  images: ["https://cdn.example.com/screenshot1.jpg"],
});
const post2 = await social.posts.create(actorOf(jane), {
  content: "Beautiful sunset today! 🌅",
  images: ["https://cdn.example.com/sunset1.jpg", "https://cdn.example.com/sunset2.jpg"],
});

await social.follows.follow(actorOf(john), { userId: jane.id });
await social.follows.follow(actorOf(jane), { userId: john.id });

await social.likes.likePost(actorOf(jane), { postId: post1.id });
await social.likes.likePost(actorOf(john), { postId: post2.id });

await social.comments.create(actorOf(jane), { postId: post1.id, content: "Great work! What technologies did you use?" });

// This run's figures, through the services (on a shared database the tables hold other runs too).
const people = [await social.users.me(actorOf(john)), await social.users.me(actorOf(jane))];
const posts = [await social.posts.get(actorOf(john), { postId: post1.id }), await social.posts.get(actorOf(john), { postId: post2.id })];
const counts = {
  users: people.length,
  posts: people.reduce((n, u) => n + u.postsCount, 0),
  comments: posts.reduce((n, p) => n + p.commentsCount, 0),
  likes: posts.reduce((n, p) => n + p.likesCount, 0),
  follows: people.reduce((n, u) => n + u.followingCount, 0),
  // 5 = the rules at work: jane is told john followed her and liked her post (2); john is told
  // jane followed him, liked his post and commented on it (3). The specification's one hand-made
  // notification becomes these five; nobody is ever notified of their own action.
  notifications: (await social.notifications.unreadCount(actorOf(john))) + (await social.notifications.unreadCount(actorOf(jane))),
};

console.log("Social Media Platform Demo:");
console.log("==========================");
console.log(`Users: ${counts.users}`);
console.log(`Posts: ${counts.posts}`);
console.log(`Comments: ${counts.comments}`);
console.log(`Likes: ${counts.likes}`);
console.log(`Follows: ${counts.follows}`);
console.log(`Notifications: ${counts.notifications}`);

async function show(platform: SocialMediaPlatform, user: { id: string; username: string }): Promise<void> {
  console.log(`\n@${user.username}'s home feed:`);
  for (const item of (await platform.feeds.home(actorOf(user))).items) {
    const p = item.post;
    console.log(
      `  @${p.author.username}: ${p.content}  [${p.likesCount} like(s), ${p.commentsCount} comment(s), ${p.images.length} image(s)]`,
    );
  }
  console.log(`@${user.username}'s notifications (${await platform.notifications.unreadCount(actorOf(user))} unread):`);
  for (const group of (await platform.notifications.listGrouped(actorOf(user))).items) console.log(`  ${group.summary}`);
}

await show(social, john);
await show(social, jane);
await postgres?.close();
