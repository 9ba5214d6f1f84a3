-- Dead-lettered notifications (status 'failed') stay in commerce_notifications; admins list them
-- oldest first (notifications.listDeadLetters) and queue them again (notifications.retryDeadLetter).
CREATE INDEX commerce_notifications_dead_letters ON commerce_notifications (seq) WHERE status = 'failed';
