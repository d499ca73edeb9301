package jp.tsunagi.gateway.audit;

/** What an audit entry records (監査ログの操作種別). The names are stored; never rename one, only add. */
public enum AuditAction {
    /** 受付: a message was accepted (202) and stored durably. */
    ACCEPTED("受付"),
    /**
     * 拒否: a message was refused; the entry's code is the problem code (e.g. consent.expired). Also a file a file
     * source set aside for its name: code file.name_refused, outcome where it went (FolderNameGuard).
     */
    REJECTED("拒否"),
    /** 同意判定: the consent engine's decision; code names the rule that decided. */
    CONSENT_DECISION("同意判定"),
    /** 最小化: categories removed for a recipient; the entry's categories are the removed ones. */
    MINIMIZED("最小化"),
    /** 転送予定: an outbox row was written for a recipient. */
    FORWARD_SCHEDULED("転送予定"),
    /** 配信試行: one delivery attempt; outcome and code say how it went (e.g. http-503). */
    DELIVERY_ATTEMPT("配信試行"),
    /** 配信完了: the recipient acknowledged the message. */
    DELIVERED("配信完了"),
    /** 配信断念: retries exhausted, the message went to the dead letters. */
    DEAD_LETTERED("配信断念"),
    /** 状態変更: a referral lifecycle transition; code is the new status. */
    STATUS_CHANGED("状態変更"),
    /** 同意撤回: a consent was withdrawn; undelivered messages under it are stopped. */
    CONSENT_WITHDRAWN("同意撤回"),
    /** 撤回通知: a recipient that already received data under a withdrawn consent was told. */
    WITHDRAWAL_NOTIFIED("撤回通知"),
    /** 監査ログ閲覧: someone read the audit trail (console). */
    AUDIT_READ("監査ログ閲覧"),
    /** 監査ログ出力: someone exported the audit trail. */
    AUDIT_EXPORTED("監査ログ出力"),
    /** 開示: the provision records of one person were disclosed (APPI disclosure request). */
    DISCLOSED("開示"),
    /** 保存期間経過による削除: payloads past their retention were purged (audit entries are kept). */
    RETENTION_PURGED("保存期間経過による削除"),
    /** 要確認: flagged for human review (e.g. a vital-interest provision). */
    ESCALATED("要確認"),
    /**
     * 督促: a referral was neither accepted nor declined within the configured municipal business days; a
     * gateway-signed notice to its sender was queued (the entry's message id is the notice's).
     */
    OVERDUE_ESCALATED("督促"),
    /**
     * 利用停止: the gateway started with an agency suspended in agencies.yaml (nothing accepted from it, copies to it
     * held); outcome is the agency id, code {@code agency.suspended}.
     */
    AGENCY_SUSPENDED("利用停止"),
    /** 利用再開: the gateway started with a suspension lifted; held copies are delivered. Outcome is the agency id. */
    AGENCY_RESUMED("利用再開"),
    /** ログイン: an account logged in to the console (actor: the account). */
    CONSOLE_LOGIN("ログイン"),
    /** ログイン失敗: a console login was refused; code says why (e.g. password.wrong, account.locked). */
    CONSOLE_LOGIN_FAILED("ログイン失敗"),
    /** ログアウト: a console session ended; outcome says how (logout, idle, absolute). */
    CONSOLE_LOGOUT("ログアウト"),
    /** 監査ログ検証: someone verified the chain; outcome intact or tampered:SEQ, code the range. */
    AUDIT_VERIFIED("監査ログ検証"),
    /** アカウント作成: a console account was created; outcome is its role, code account:NAME. */
    ACCOUNT_CREATED("アカウント作成"),
    /** アカウント無効化: a console account was disabled; code account:NAME. */
    ACCOUNT_DISABLED("アカウント無効化"),
    /** パスワード再設定: a console account got a new password; code account:NAME. */
    ACCOUNT_PASSWORD_RESET("パスワード再設定"),
    /** 鍵の更新: {@code keys rotate} gave an agency (or the gateway) a new key; outcome the new kid, code the retired one. */
    KEY_ROTATED("鍵の更新"),
    /** バックアップ: {@code backup} copied the embedded database; recorded before the copy, so the copy holds it. */
    DATABASE_BACKED_UP("バックアップ"),
    /** リストア: {@code restore} replaced the database by a backup; code {@code seq:N}, the backup's last entry. */
    DATABASE_RESTORED("リストア"),
    /**
     * 紹介閲覧: someone opened one referral's timeline (console or {@code referral show}); outcome {@code viewed}, or
     * {@code viewed.subject} with basis {@code PURPOSE:...} when the person's pseudonym was shown.
     */
    REFERRAL_VIEWED("紹介閲覧"),
    /**
     * 再送: an administrator asked to requeue a dead letter; outcome {@code requeued}, {@code awaiting_approval}
     * (two-person rule) or {@code refused} (code: why, e.g. consent.withdrawn); code {@code request:ID} otherwise.
     */
    DEAD_LETTER_REQUEUED("再送"),
    /** 再送承認: a second administrator approved a requeue; outcome {@code requeued} or {@code refused} (code: why). */
    DEAD_LETTER_APPROVED("再送承認"),
    /** 配信取消: an administrator cancelled a dead letter; outcome {@code cancelled} or {@code refused}. */
    DEAD_LETTER_CANCELLED("配信取消"),
    /** 同意の閲覧: someone opened the consents page or one consent (basis CONSENT:id) in the console. */
    CONSENT_READ("同意の閲覧");

    private final String label;

    AuditAction(String label) {
        this.label = label;
    }

    /** The Japanese label administrators see. */
    public String label() {
        return label;
    }
}
