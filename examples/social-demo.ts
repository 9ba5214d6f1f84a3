// The seed's social media scenario on @platform/social: two users, two posts, mutual follows,
// two likes and one comment. Notifications are not created by hand (the seed's
// CreateNotification): the platform's rules generate them from what the users do.
// (Imported by path: the workspace root does not list @platform/social as a dependency yet.)
import { createSocialMediaPlatform, type SocialMediaPlatform } from "../packages/social/src/index.js";

const social = createSocialMediaPlatform();

const john = await social.users.create({
  username: "john_doe",
  email: "john@example.com",
  name: "John Doe",
  bio: "Software engineer and tech enthusiast",
  avatarUrl: "https://cdn.example.com/avatar1.jpg",
});
const jane = await social.users.create({
  username: "jane_smith",
  email: "jane@example.com",
  name: "Jane Smith",
  bio: "Designer and artist",
  avatarUrl: "https://cdn.example.com/avatar2.jpg",
});

const post1 = await social.posts.create({
  actorId: john.id,
  content: "Just finished building an amazing e-commerce platform! #coding #golang",
  images: ["https://cdn.example.com/screenshot1.jpg"],
});
const post2 = await social.posts.create({
  actorId: jane.id,
  content: "Beautiful sunset today! 🌅",
  images: ["https://cdn.example.com/sunset1.jpg", "https://cdn.example.com/sunset2.jpg"],
});

await social.follows.follow({ actorId: john.id, userId: jane.id });
await social.follows.follow({ actorId: jane.id, userId: john.id });

await social.likes.likePost({ actorId: jane.id, postId: post1.id });
await social.likes.likePost({ actorId: john.id, postId: post2.id });

await social.comments.create({ actorId: jane.id, postId: post1.id, content: "Great work! What technologies did you use?" });

const counts = await social.store.transaction(async (tx) => ({
  users: await tx.users.count(),
  posts: await tx.posts.count(),
  comments: await tx.comments.count(),
  likes: await tx.likes.count(),
  follows: await tx.follows.count(),
  // 5 = the rules at work: jane is told john followed her and liked her post (2); john is told
  // jane followed him, liked his post and commented on it (3). The seed's one hand-made
  // notification becomes these five; nobody is ever notified of their own action.
  notifications: await tx.notifications.count(),
}));

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
  for (const item of (await platform.feeds.home({ actorId: user.id })).items) {
    const p = item.post;
    console.log(`  @${p.author.username}: ${p.content}  [${p.likesCount} like(s), ${p.commentsCount} comment(s), ${p.images.length} image(s)]`);
  }
  console.log(`@${user.username}'s notifications (${await platform.notifications.unreadCount({ actorId: user.id })} unread):`);
  for (const group of (await platform.notifications.listGrouped({ actorId: user.id })).items) console.log(`  ${group.summary}`);
}

await show(social, john);
await show(social, jane);
